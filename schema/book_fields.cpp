#include "schema/book_fields.hpp"

#include <algorithm>
#include <map>

#include "schema/fields.hpp"
#include "schema/record.hpp"
#include "schema/text.hpp"
#include "schema/validate.hpp"

namespace hotich::schema {
namespace {

// The readings of one text (compared by fold), in page order.
struct Group {
  std::string key;
  std::vector<size_t> members;  // indexes into the readings
  float certainty = 0;
  bool valid = false;
  bool confident = false;
  int support = 0;  // exact members, plus near invalid readings (fuzzy)
  int exact() const { return int(members.size()); }
};

// The spelling to export: one not all in capitals where there is one (a
// header in capitals has lost the case of the names), then the one most
// members wrote, then the earliest.
std::string spelling(const Group& g, const std::vector<BookFieldReading>& rs) {
  std::map<std::string, int> count;
  for (auto i : g.members) ++count[clean_text(rs[i].text)];
  std::string best;
  int best_n = -1;
  bool best_cased = false;
  for (auto i : g.members) {
    std::string s = clean_text(rs[i].text);
    bool cased = to_upper(s) != s;
    if ((cased && !best_cased) || (cased == best_cased && count[s] > best_n)) {
      best = s;
      best_n = count[s];
      best_cased = cased;
    }
  }
  return best;
}

std::string pages_of(const Group& g, const std::vector<BookFieldReading>& rs) {
  std::vector<int> pages;
  for (auto i : g.members) pages.push_back(rs[i].page);
  std::sort(pages.begin(), pages.end());
  std::string s;
  for (int p : pages) s += (s.empty() ? "p" : ", p") + std::to_string(p);
  return s;
}

// At most 60 code points of a reading, for a flag detail.
std::string shortened(const std::string& s) {
  if (length(s) <= 60) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < 57; ++n) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    out += s.substr(i, j - i);
    i = j;
  }
  return out + "...";
}

}  // namespace

BookFieldOptions book_field_options(std::string_view key) {
  BookFieldOptions o;
  o.fuzzy = key == "noiDangKy";
  return o;
}

float book_field_certainty(std::string_view key, std::string_view text, const Lexicons& lex) {
  std::string t = clean_text(text);
  if (t.empty()) return 0;
  if (key == "quyenSo") return parse_book_number(t).ok ? 1.0f : 0.0f;
  if (key == "noiDangKy") {
    // The same check validation runs on a page's reading, at OCR
    // confidence 1, so what is left is the text's own certainty.
    Entry e;
    Field f;
    f.key = std::string(key);
    f.raw = t;
    f.conf = 1;
    e.fields.push_back(f);
    ValidateOptions vo;
    vo.flag_missing = false;
    validate_entry(e, {{std::string(key), FieldType::text, false}}, lex, BookContext{}, vo);
    const Field* g = e.find(std::string(key));
    return g && (g->flag.empty() || g->flag.starts_with(flag::low_confidence)) ? g->conf : 0.0f;
  }
  return 0;
}

std::string book_field_text(std::string_view key, std::string_view raw) {
  if (key == "quyenSo")
    if (Parsed p = parse_book_number(raw); p.ok) return p.value;
  return clean_text(raw);
}

BookFieldDecision decide_book_field(const std::vector<BookFieldReading>& in, const BookFieldOptions& opts) {
  BookFieldDecision d;
  // Page order, so that ties go to the earlier page whatever the caller's order.
  std::vector<BookFieldReading> rs;
  for (auto& r : in)
    if (!clean_text(r.text).empty()) rs.push_back(r);
  std::stable_sort(rs.begin(), rs.end(), [](auto& a, auto& b) { return a.page < b.page; });
  d.readings = int(rs.size());
  if (rs.empty()) {
    d.note = "no page read it";
    return d;
  }

  std::vector<Group> groups;
  std::vector<size_t> group_of(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    std::string k = fold(rs[i].text);
    auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.key == k; });
    if (it == groups.end()) {
      groups.push_back({});
      it = groups.end() - 1;
      it->key = k;
    }
    it->members.push_back(i);
    group_of[i] = size_t(it - groups.begin());
    it->certainty = std::max(it->certainty, rs[i].certainty);
  }
  for (auto& g : groups) {
    g.valid = g.certainty >= opts.valid;
    for (auto i : g.members) g.confident |= g.valid && rs[i].conf >= opts.confident;
    g.support = g.exact();
  }
  // Near readings: an invalid reading a few edits from a valid one is
  // that reading damaged. A valid reading is a place of its own, never
  // a damaged copy of another.
  auto near = [&](const Group& g, size_t i) {
    if (!opts.fuzzy || !g.valid || groups[group_of[i]].valid || group_of[i] == size_t(&g - groups.data())) return false;
    int budget = std::max(1, int(length(g.key)) / std::max(1, opts.edits_per));
    return edit_distance(g.key, fold(rs[i].text)) <= budget;
  };
  for (auto& g : groups)
    for (size_t i = 0; i < rs.size(); ++i) g.support += near(g, i);

  // The best valid candidate: most support, then most exact readings,
  // then the earliest page (groups are in page order of first reading).
  const Group* best = nullptr;
  for (auto& g : groups)
    if (g.valid && (!best || g.support > best->support || (g.support == best->support && g.exact() > best->exact())))
      best = &g;
  const int n = d.readings;
  if (best) {
    bool confident_rival = false;
    for (size_t i = 0; i < rs.size(); ++i) {
      const Group& gi = groups[group_of[i]];
      if (&gi == best || near(*best, i)) continue;
      confident_rival |= gi.valid && rs[i].conf >= opts.confident;
    }
    bool sure = best->exact() >= 2 || best->confident;
    int s = best->support;
    if (sure && s >= 2 && 3 * s >= 2 * n && !confident_rival) {
      d.outcome = BookFieldOutcome::accept;
      d.value = spelling(*best, rs);
      d.support = s;
      d.note = "read by " + std::to_string(best->exact()) + " of " + std::to_string(n) + " pages";
      if (s > best->exact()) d.note += ", nearly by " + std::to_string(s - best->exact()) + " more";
      return d;
    }
  }

  // A claim is a valid reading that a page was sure of or that two pages
  // share. Pages agreeing on a text that does not check out (a truncated
  // line) claim nothing: their own flags already say why.
  int claims = 0;
  bool agreed = false;
  for (auto& g : groups) {
    claims += g.confident || (g.valid && g.exact() >= 2);
    agreed |= g.exact() >= 2;
  }
  if (groups.size() < 2 || claims == 1 || (claims == 0 && agreed)) {
    d.note = groups.size() < 2 ? "one reading that does not decide the book's value"
             : claims == 1     ? "one reading stands out, but not clearly enough to decide the book's value"
                               : "pages agree on a reading that does not check out";
    return d;
  }
  d.outcome = BookFieldOutcome::disagree;
  // Rivals by number of pages, then page order; four at most.
  std::vector<const Group*> order;
  for (auto& g : groups) order.push_back(&g);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->exact() > b->exact(); });
  std::string detail;
  for (size_t k = 0; k < order.size() && k < 4; ++k)
    detail += (k ? ", '" : "'") + shortened(spelling(*order[k], rs)) + "' (" + pages_of(*order[k], rs) + ")";
  if (order.size() > 4) detail += ", and " + std::to_string(order.size() - 4) + " more";
  d.flag = std::string(flag::ambiguous_repair) + ": pages disagree: " + detail;
  d.note = std::to_string(groups.size()) + " different readings on " + std::to_string(n) + " pages";
  return d;
}

}  // namespace hotich::schema
