#include "ocr/engine.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "ocr/raw_line_images.hpp"

namespace hotich::ocr {

// Defined here, not in raw_line_images.cpp, so that a program without that
// hook still links (and keeps Tesseract's PNGs).
thread_local bool detail::raw_line_images = false;

namespace {

std::vector<std::string> split_languages(const std::string& language) {
  std::vector<std::string> out;
  std::stringstream ss(language);
  std::string part;
  while (std::getline(ss, part, '+'))
    if (!part.empty()) out.push_back(part);
  return out;
}

// Tesseract prints "Error opening data file" to stderr and returns -1; we
// turn that into an actionable message before and after Init.
std::string missing_model_message(const std::string& lang, const std::string& folder) {
  const char* prefix = std::getenv("TESSDATA_PREFIX");
  std::ostringstream m;
  m << "Tesseract model '" << lang << ".traineddata' not found in '"
    << (folder.empty() ? std::string("Tesseract's default tessdata folder") : folder)
    << "' (TESSDATA_PREFIX=" << (prefix ? prefix : "<unset>")
    << "); install tesseract-ocr-" << lang
    << " or point TesseractOptions::datapath / TESSDATA_PREFIX at the folder holding it";
  return m.str();
}

std::string take_text(char* p) {
  std::string s = p ? p : "";
  delete[] p;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string check_crop(const cv::Mat& crop) {
  if (crop.empty()) return "empty crop";
  if (crop.type() != CV_8UC1) return "crop is not 8-bit gray (CV_8UC1)";
  return {};
}

// A crop without contrast holds no text. Tesseract would hallucinate a word
// and dump statistics on it; answer "nothing" without calling it.
bool featureless(const cv::Mat& crop) {
  double lo = 0, hi = 0;
  cv::minMaxLoc(crop, &lo, &hi);
  return hi - lo < 40;
}

// Lower case for the letters Vietnamese text uses (ASCII, Latin-1, Latin
// Extended-A/B pairs such as Đ/đ, Ơ/ơ, Ư/ư, and the Latin Extended
// Additional block holding the toned vowels). ocr/ links no Unicode library;
// this covers every letter the vie/Vietnamese models emit, and anything
// else is compared as is (a rival then counts, which errs toward doubt).
char32_t lower_cp(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x01AF) return 0x01B0;  // Ư
  if (c >= 0x0100 && c <= 0x017F && c % 2 == 0 && c != 0x0138) return c + 1;
  if (c == 0x01A0) return 0x01A1;  // Ơ
  if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0) return c + 1;
  return c;
}

std::u32string lower_utf8(const char* s) {
  std::u32string out;
  if (!s) return out;
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  while (*p) {
    char32_t c = *p;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra) c &= (0x3F >> extra);
    ++p;
    for (int i = 0; i < extra && (*p & 0xC0) == 0x80; ++i, ++p) c = (c << 6) | (*p & 0x3F);
    out.push_back(lower_cp(c));
  }
  return out;
}

// Symbol-level evidence of the word at it: the lowest symbol confidence and
// the strongest rival reading of any symbol (lstm_choice_mode = 2 makes
// ChoiceIterator list the LSTM's alternatives per symbol with scores).
void symbol_evidence(const tesseract::ResultIterator& word_it, float rival_weight, Word& w) {
  tesseract::ResultIterator it(word_it);
  float lo = 100, rival = 0;
  bool any = false;
  do {
    if (it.Empty(tesseract::RIL_SYMBOL)) continue;
    char* sym = it.GetUTF8Text(tesseract::RIL_SYMBOL);
    const std::u32string best = lower_utf8(sym);
    delete[] sym;
    lo = std::min(lo, it.Confidence(tesseract::RIL_SYMBOL));
    any = true;
    tesseract::ChoiceIterator ci(it);
    do {
      const char* alt = ci.GetUTF8Text();
      if (!alt || lower_utf8(alt) == best) continue;
      rival = std::max(rival, ci.Confidence());
    } while (ci.Next());
  } while (it.Next(tesseract::RIL_SYMBOL) && !it.IsAtBeginningOf(tesseract::RIL_WORD));
  w.engine_conf = w.conf;
  w.min_symbol_conf = any ? lo : -1;
  w.rival_conf = std::clamp(rival, 0.0f, 100.0f);
  w.conf = std::min(w.conf, 100.0f - rival_weight * w.rival_conf);
}

}  // namespace

struct TesseractEngine::Impl {
  tesseract::TessBaseAPI api;
};

TesseractEngine::TesseractEngine(const TesseractOptions& options)
    : impl_(std::make_unique<Impl>()), options_(options) {
  std::string folder = options_.datapath;
  if (folder.empty())
    if (const char* env = std::getenv("TESSDATA_PREFIX")) folder = env;
  const auto langs = split_languages(options_.language);
  if (langs.empty()) throw EngineError("TesseractOptions::language is empty");
  if (!folder.empty()) {
    for (const auto& lang : langs)
      if (!std::filesystem::exists(std::filesystem::path(folder) / (lang + ".traineddata")))
        throw EngineError(missing_model_message(lang, folder));
  }
  // Init variables (none needed) would go in Init; the rest are SetVariable.
  if (impl_->api.Init(folder.empty() ? nullptr : folder.c_str(), options_.language.c_str(),
                      tesseract::OEM_LSTM_ONLY) != 0) {
    // Default folder: name the first language that Tesseract could not open.
    std::string used = folder;
    if (used.empty() && impl_->api.GetDatapath()) used = impl_->api.GetDatapath();
    std::string missing = langs.front();
    for (const auto& lang : langs)
      if (!used.empty() &&
          !std::filesystem::exists(std::filesystem::path(used) / (lang + ".traineddata"))) {
        missing = lang;
        break;
      }
    throw EngineError(missing_model_message(missing, used));
  }
  auto set = [&](const char* name, const std::string& value) {
    if (!impl_->api.SetVariable(name, value.c_str()))
      throw EngineError(std::string("Tesseract rejected variable ") + name);
  };
  set("user_defined_dpi", std::to_string(options_.dpi));
  if (options_.blacklist_foreign_letters) set("tessedit_char_blacklist", options_.blacklist);
  // Crops are cut from a cleaned page: no inverted text to test for.
  set("tessedit_do_invert", "0");
  // Nor print of a fixed pitch to chop: the LSTM reads the line whole,
  // and the pitch test was 2% of the OCR stage.
  set("textord_disable_pitch_test", "1");
  // Per-symbol alternatives with their scores (ChoiceIterator), the
  // evidence behind Word::rival_conf.
  set("lstm_choice_mode", "2");
  set("lstm_choice_iterations", std::to_string(options_.choice_iterations));
  // Tesseract's debug printing (tprintf) would go to stderr from every
  // worker; the pipeline reports errors itself.
  set("debug_file", "/dev/null");
}

TesseractEngine::~TesseractEngine() {
  if (impl_) impl_->api.End();
}

namespace {

// Collects the recognised lines and words of the current image.
std::vector<Line> collect_lines(tesseract::TessBaseAPI& api, float rival_weight) {
  std::vector<Line> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return lines;
  float conf_sum = 0;
  auto finish = [&] {
    if (lines.empty()) return;
    Line& l = lines.back();
    l.conf = l.words.empty() ? 0.f : conf_sum / float(l.words.size());
  };
  do {
    if (it->Empty(tesseract::RIL_WORD)) continue;
    if (lines.empty() || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      finish();
      lines.emplace_back();
      conf_sum = 0;
      int l, t, r, b;
      if (it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b))
        lines.back().box = {l, t, r - l, b - t};
    }
    Word w;
    w.text = take_text(it->GetUTF8Text(tesseract::RIL_WORD));
    w.conf = it->Confidence(tesseract::RIL_WORD);
    symbol_evidence(*it, rival_weight, w);
    int l, t, r, b;
    if (it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) w.box = {l, t, r - l, b - t};
    if (w.text.empty()) continue;
    Line& line = lines.back();
    if (!line.text.empty()) line.text += ' ';
    line.text += w.text;
    conf_sum += w.conf;
    line.words.push_back(std::move(w));
  } while (it->Next(tesseract::RIL_WORD));
  finish();
  std::erase_if(lines, [](const Line& l) { return l.words.empty(); });
  return lines;
}

}  // namespace

// Runs one recognition of crop in the given mode; lines come back in page
// order with their words. "" on success, else why it failed.
std::string TesseractEngine::recognize(const cv::Mat& crop, int psm, std::vector<Line>* lines) {
  if (auto e = check_crop(crop); !e.empty()) return e;
  if (featureless(crop)) return "";
  auto& api = impl_->api;
  api.SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
  api.SetImage(crop.data, crop.cols, crop.rows, 1, int(crop.step[0]));
  api.SetSourceResolution(options_.dpi);
  std::string error;
  detail::RawLineImages raw;
  if (api.Recognize(nullptr) != 0) error = "Tesseract Recognize failed";
  else *lines = collect_lines(api, options_.rival_weight);
  api.Clear();
  return error;
}

LineRead TesseractEngine::read_line(const cv::Mat& crop) {
  LineRead out;
  out.line.box = {0, 0, crop.cols, crop.rows};
  std::vector<Line> lines;
  out.error = recognize(crop, tesseract::PSM_SINGLE_LINE, &lines);
  // The line mode now and then finds no text line at all in a crop that
  // plainly holds one ("Số: ....... 96": a short label, a dot leader and a
  // number), where the raw line mode, which skips Tesseract's own line
  // finding, reads it. Taken only when it reads with confidence: a scribble
  // in which the line mode rightly found nothing reads as letters of low
  // confidence.
  if (out.error.empty() && lines.empty()) {
    std::vector<Line> raw;
    if (recognize(crop, tesseract::PSM_RAW_LINE, &raw).empty() && !raw.empty()) {
      float sum = 0;
      size_t n = 0;
      for (const auto& l : raw)
        for (const auto& w : l.words) sum += w.conf, ++n;
      if (n > 0 && sum / float(n) >= options_.raw_line_min_conf) lines = std::move(raw);
    }
  }
  // PSM 7 may still report more than one textline on a tall crop; a line
  // read is one line, so merge them in order.
  for (auto& l : lines) {
    for (auto& w : l.words) {
      if (!out.line.text.empty()) out.line.text += ' ';
      out.line.text += w.text;
      out.line.words.push_back(std::move(w));
    }
  }
  float sum = 0;
  for (const auto& w : out.line.words) sum += w.conf;
  out.line.conf = out.line.words.empty() ? 0.f : sum / float(out.line.words.size());
  return out;
}

BlockRead TesseractEngine::read_block(const cv::Mat& crop) {
  BlockRead out;
  out.error = recognize(crop, tesseract::PSM_SINGLE_BLOCK, &out.lines);
  return out;
}

}  // namespace hotich::ocr
