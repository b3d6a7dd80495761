// A fake OcrEngine for tests: answers each call from a script instead of
// looking at pixels, so parsing and pipeline tests run without Tesseract and
// can exercise failure paths. Not thread-safe (like every OcrEngine).
#pragma once
#include <functional>
#include <utility>
#include <string>
#include <vector>

#include "ocr/engine.hpp"

namespace hotich::ocr {

// One scripted answer. fail = true makes the call return an error value
// carrying error (or "scripted failure" when empty).
struct ScriptedAnswer {
  std::string text;   // may hold '\n' for read_block (one line per part)
  float conf = 90;    // given to every word
  bool fail = false;
  std::string error;

  ScriptedAnswer() = default;
  ScriptedAnswer(std::string t, float c = 90) : text(std::move(t)), conf(c) {}  // NOLINT: implicit on purpose
  static ScriptedAnswer failure(std::string message) {
    ScriptedAnswer a;
    a.fail = true;
    a.error = std::move(message);
    return a;
  }
};

class ScriptedEngine : public OcrEngine {
 public:
  // Answers are consumed in call order (read_line and read_block share the
  // queue). When the queue is exhausted, calls return empty text with conf 0
  // (as a real engine does on a crop without text), or the handler's answer
  // when one is set.
  ScriptedEngine() = default;
  explicit ScriptedEngine(std::vector<ScriptedAnswer> answers);

  // Answer computed from the crop and the 0-based call number; used once the
  // queue is exhausted (set it and pass no queue to script every call).
  using Handler = std::function<ScriptedAnswer(const cv::Mat& crop, int call)>;
  void set_handler(Handler h) { handler_ = std::move(h); }
  // Every call from now on fails with message (fault injection).
  void fail_all(std::string message) { fail_all_ = std::move(message); }

  LineRead read_line(const cv::Mat& crop) override;
  BlockRead read_block(const cv::Mat& crop) override;

  int calls() const { return calls_; }
  // Sizes of the crops received, in call order (to check what was read).
  const std::vector<cv::Size>& crop_sizes() const { return sizes_; }

 private:
  ScriptedAnswer next(const cv::Mat& crop);
  std::vector<ScriptedAnswer> answers_;
  size_t pos_ = 0;
  Handler handler_;
  std::string fail_all_;
  int calls_ = 0;
  std::vector<cv::Size> sizes_;
};

// Words of text split on spaces, with boxes laid out evenly across a crop of
// the given size (what a real engine would roughly give). Used by
// ScriptedEngine; exposed for tests that build expected lines.
Line scripted_line(const std::string& text, float conf, int width, int height);

}  // namespace hotich::ocr
