// Hand-made OCR output for the parser tests: no images, no engine.
#pragma once
#include <string>
#include <vector>

#include "ocr/text.hpp"
#include "schema/forms.hpp"
#include "schema/parse.hpp"

namespace hotich::schema::testing {

// A line whose first word starts at (x, y): each byte of a word is 10 px
// wide and each space 10 px, so a run of spaces is a visible gap; every
// word gets confidence conf (0..100).
inline ocr::Line make_line(const std::string& text, int x, int y, float conf = 90) {
  ocr::Line l;
  l.text = text;
  l.conf = conf;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      x += 10;
      ++i;
      continue;
    }
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    ocr::Word w{text.substr(i, j - i), conf, {x, y, int(j - i) * 10, 20}};
    x += w.box.w;
    l.words.push_back(w);
    l.box = detail::unite(l.box, w.box);
    i = j;
  }
  return l;
}

// The form definitions built into the library, loaded once.
inline const FormSet& builtin_forms() {
  static const FormSet f = FormSet::builtin();
  return f;
}

// The keys of each parsed ledger column, "a+b" for a combined column.
inline std::vector<std::string> column_keys(const LedgerParse& lp) {
  std::vector<std::string> out;
  for (auto& c : lp.columns) {
    std::string s;
    for (auto& k : c.keys) s += (s.empty() ? "" : "+") + k;
    out.push_back(s);
  }
  return out;
}

}  // namespace hotich::schema::testing
