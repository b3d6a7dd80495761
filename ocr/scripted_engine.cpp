#include "ocr/scripted_engine.hpp"

#include <algorithm>
#include <sstream>

namespace hotich::ocr {

ScriptedEngine::ScriptedEngine(std::vector<ScriptedAnswer> answers)
    : answers_(std::move(answers)) {}

ScriptedAnswer ScriptedEngine::next(const cv::Mat& crop) {
  const int call = calls_++;
  sizes_.push_back(crop.size());
  if (!fail_all_.empty()) return ScriptedAnswer::failure(fail_all_);
  if (pos_ < answers_.size()) return answers_[pos_++];
  if (handler_) return handler_(crop, call);
  return ScriptedAnswer("", 0);
}

Line scripted_line(const std::string& text, float conf, int width, int height) {
  Line line;
  line.box = {0, 0, width, height};
  std::vector<std::string> words;
  std::istringstream ss(text);
  for (std::string w; ss >> w;) words.push_back(w);
  if (words.empty()) return line;
  // Share the width in proportion to the byte length plus one space each.
  size_t total = 0;
  for (const auto& w : words) total += w.size() + 1;
  int x = 0;
  float sum = 0;
  for (const auto& w : words) {
    const int ww = int(double(width) * double(w.size()) / double(total));
    line.words.push_back({w, conf, {x, 0, std::max(1, ww), height}});
    x += int(double(width) * double(w.size() + 1) / double(total));
    if (!line.text.empty()) line.text += ' ';
    line.text += w;
    sum += conf;
  }
  line.conf = sum / float(line.words.size());
  return line;
}

LineRead ScriptedEngine::read_line(const cv::Mat& crop) {
  ScriptedAnswer a = next(crop);
  LineRead out;
  if (a.fail) {
    out.error = a.error.empty() ? "scripted failure" : a.error;
    out.line.box = {0, 0, crop.cols, crop.rows};
    return out;
  }
  out.line = scripted_line(a.text, a.conf, crop.cols, crop.rows);
  return out;
}

BlockRead ScriptedEngine::read_block(const cv::Mat& crop) {
  ScriptedAnswer a = next(crop);
  BlockRead out;
  if (a.fail) {
    out.error = a.error.empty() ? "scripted failure" : a.error;
    return out;
  }
  std::vector<std::string> parts;
  std::istringstream ss(a.text);
  for (std::string p; std::getline(ss, p);) parts.push_back(p);
  const int n = std::max<int>(1, int(parts.size()));
  const int lh = std::max(1, crop.rows / n);
  for (int i = 0; i < int(parts.size()); ++i) {
    Line l = scripted_line(parts[i], a.conf, crop.cols, lh);
    if (l.words.empty()) continue;
    l.box.y = i * lh;
    for (auto& w : l.words) w.box.y = i * lh;
    out.lines.push_back(std::move(l));
  }
  return out;
}

}  // namespace hotich::ocr
