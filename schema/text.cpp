#include "schema/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

namespace hotich::schema {
namespace {

std::string map(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                        static_cast<utf8proc_ssize_t>(s.size()), &out,
                        static_cast<utf8proc_option_t>(options));
  if (n < 0) return std::string(s);  // invalid UTF-8: keep the bytes
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

std::vector<utf8proc_int32_t> code_points(std::string_view s) {
  std::vector<utf8proc_int32_t> cps;
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) { cp = *p; n = 1; }  // stray byte: count it as one unit
    cps.push_back(cp);
    p += n;
    left -= n;
  }
  return cps;
}

void append(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
}

bool is_space(utf8proc_int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return true;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

template <class F>
std::string map_code_points(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (auto cp : code_points(s)) append(out, f(cp));
  return out;
}

}  // namespace

std::string nfc(std::string_view s) { return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE); }

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (auto cp : code_points(nfc(s))) {
    if (is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    append(out, cp);
  }
  return out;
}

std::string fold(std::string_view s) {
  return map(clean_text(s), UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

std::string ascii_fold(std::string_view s) {
  std::string stripped = map(fold(s), UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
  return map_code_points(stripped, [](utf8proc_int32_t cp) {
    return (cp == 0x0111 || cp == 0x0110) ? utf8proc_int32_t('d') : cp;  // đ/Đ carry no combining mark
  });
}

std::string to_upper(std::string_view s) {
  return map_code_points(nfc(s), [](utf8proc_int32_t cp) { return utf8proc_toupper(cp); });
}

std::string to_lower(std::string_view s) {
  return map_code_points(nfc(s), [](utf8proc_int32_t cp) { return utf8proc_tolower(cp); });
}

int letter_count(std::string_view s) {
  int n = 0;
  for (auto cp : code_points(s)) {
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    n += cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
  }
  return n;
}

std::string to_title(std::string_view s) {
  std::string out;
  bool start = true;
  for (auto cp : code_points(nfc(s))) {
    append(out, start ? utf8proc_toupper(cp) : utf8proc_tolower(cp));
    start = is_space(cp) || cp == '-' || cp == '(';
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string t = clean_text(s);
  size_t i = 0;
  while (i < t.size()) {
    size_t j = t.find(' ', i);
    if (j == std::string::npos) j = t.size();
    if (j > i) out.emplace_back(t.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

int edit_distance(std::string_view a, std::string_view b) {
  auto x = code_points(a), y = code_points(b);
  std::vector<int> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = int(j);
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = int(i);
    for (size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

size_t length(std::string_view s) { return code_points(s).size(); }

}  // namespace hotich::schema
