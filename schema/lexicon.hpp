// Lexicons for validating and repairing OCR text of civil-status fields:
// the administrative gazetteer and the ethnic-group list (loaded from the
// user's CSV files; the project ships neither), plus small built-in lists
// of facts: surnames, compound surnames and middle names (data, the "names"
// section of schema/forms/common.json, embedded), relationship words,
// nationalities, a fallback ethnic list, ethnic-minority name syllables.
//
// Repair policy (shared by every list): a string is looked up
//   1. by its tone key (fold() with each syllable's tone moved to the end,
//      so the old "Hoà" and new "Hòa" tone placements are equal): the text
//      is right as written;
//   2. by ascii_fold (diacritics lost or misread): a repair, trusted only
//      when exactly one spelling has that key;
//   3. by edit distance on the ascii key, for words long enough that one
//      slip cannot turn one entry into another: trusted only when one entry
//      is strictly closest.
// Anything else is reported as ambiguous or unknown, never guessed.
//
// Thread safety: load_* mutate and must finish before sharing; every const
// member is safe to call from many threads at once (no lazy caches).
#pragma once
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotich::schema {

// fold() with the tone mark of each syllable moved to its end: the key
// under which two spellings are "the same as written" (tone placement
// "hoà"/"hòa", "thuỷ"/"thủy" and case do not matter).
std::string tone_key(std::string_view s);

// True when word (one syllable, any case, any tone placement) has the shape
// of a Vietnamese syllable: initial consonant + rhyme from the standard
// inventory, spelling rules (k/gh/ngh before i e ê; c/g/ng elsewhere), at
// most one tone, and stop finals (c ch p t) only with sắc or nặng tone. A
// word stripped of its diacritics often fails ("viet"), which is the point.
bool is_vietnamese_syllable(std::string_view word);

// True when the word carries a tone mark stacked over a circumflex or breve
// ("Ễ", "Ầ", "ộ" is not: its dot sits below). Tesseract's vie model drops or
// swaps such a tone far more often on capitals ("NGUYỄN" read "NGUYÊN",
// "HỒ" read "HỖ") than any other mark.
bool has_stacked_tone(std::string_view word);
// True when the word carries the dot below (nặng: "Lệ", "Ạ"): on capitals
// the engine loses or adds it as readily ("LỆ" read "LÊ").
bool has_dot_below(std::string_view word);

// How a lookup matched. certainty() is what the parsers multiply in.
enum class MatchKind {
  none,        // nothing close enough: unknown word
  exact,       // equal as written (after NFC, case, space and tone-placement folding)
  diacritics,  // equal after ascii_fold; the lexicon spelling is the repair
  edit,        // within a small edit distance; the lexicon spelling is the repair
  ambiguous,   // several entries equally close: no repair
};
const char* to_string(MatchKind);

struct Match {
  MatchKind kind = MatchKind::none;
  std::string spelling;                // the lexicon's spelling (for exact: the lexicon form too)
  std::string name;                    // the entry it spells: the list's name for an alias ("Bana" -> "Ba-na")
  std::vector<std::string> candidates; // for ambiguous: the tied spellings
  int distance = 0;                    // edit distance of an edit match
  // The edit match's one edit puts a letter for another of the same single
  // stroke ("Gia-ral" for "Gia-rai": i, l, 1, j, I, |, !): the engine's
  // commonest slip, and the one its low score on the word is about.
  bool stroke_slip = false;
  bool found() const { return kind == MatchKind::exact || kind == MatchKind::diacritics || kind == MatchKind::edit; }
  // 1.0 exact, 0.9 diacritics or a stroke slip, 0.75 other edits, 0 otherwise.
  float certainty() const;
};

// One small word list with the three-step lookup described above.
class WordList {
 public:
  // Adds a spelling (clean_text'ed) of the entry name (empty: the spelling
  // is the name; an alias gives its list name); duplicates by tone key are
  // ignored. Spellings of one name are one entry: never ambiguous together.
  void add(std::string_view spelling, std::string_view name = {});
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // s is compared as a whole (after clean_text).
  Match lookup(std::string_view s) const;
  bool contains_exact(std::string_view s) const;
  // The spellings that differ from s only in tone marks (letters and the
  // marks â ê ô ă ơ ư đ the same); s's own spelling is not among them.
  std::vector<std::string> tone_variants(std::string_view s) const;

 private:
  struct Item { std::string spelling, ascii, name; };
  std::vector<Item> items_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_tone_, by_ascii_, by_toneless_;
};

// A unit of the gazetteer. name is without its type word ("Tân Hòa" for
// "Xã Tân Hòa"). historical = from units-historical.csv (a note column).
struct AdminUnit {
  int level = 0;          // 1 province, 2 district, 3 commune
  std::string code;       // as in the CSV ("01", "474", "19753")
  std::string name;       // NFC, type word removed
  std::string type;       // "Xã", "Huyện", "Tỉnh", "Thành phố Trung ương" ...
  std::string parent_code;
  bool historical = false;
};

// The result of checking a place text against the gazetteer.
struct PlaceMatch {
  std::string value;       // the place text, clean_text'ed, with unambiguous repairs applied
  float certainty = 0;     // 0..1, see Lexicons::match_place
  int matched = 0;         // administrative parts recognised in a consistent chain
  int deepest_level = 0;   // 3 when a commune was recognised, 2 district, 1 province, 0 none
  bool repaired = false;   // value differs from the input in a component name
  bool ambiguous = false;  // a component matched several units equally well: not repaired
  bool foreign = false;    // last part is a foreign country
  std::string note;        // why certainty was lowered (English, for the review UI)
  // Words of the input that the repairs replaced (a unit's name, a type
  // word, a detail opener), as they stand in the input text after
  // clean_text: the gazetteer or a closed list answers for them.
  std::vector<std::string> replaced_words;
};

struct LoadResult {
  size_t rows = 0;       // data rows taken
  size_t skipped = 0;    // malformed rows ignored
  std::string error;     // non-empty when the header is not the expected one (nothing loaded)
  bool ok() const { return error.empty(); }
};

class Lexicons {
 public:
  // Built-in lists only: surnames, compound surnames, middle names,
  // relationship words, nationalities, minority name syllables, and the
  // fallback ethnic list. Throws std::runtime_error only when the embedded
  // "names" section of common.json is malformed (a build defect).
  Lexicons();
  ~Lexicons();
  Lexicons(Lexicons&&) noexcept;
  Lexicons& operator=(Lexicons&&) noexcept;

  // Gazetteer rows `level,code,name,type,parent_code[,note]` with a header
  // line (units-2025-03.csv; units-historical.csv, whose rows are marked
  // historical). May be called for several files. Quoted fields with ""
  // escapes are understood. The 10,807-line units-2025-03.csv loads in
  // about 0.2 s (one ascii_fold and tone_key per row).
  LoadResult load_gazetteer_csv(std::istream& in);
  // Ethnic rows `code,name,aliases` (aliases separated by '|'), with header.
  // Once loaded, the fallback list is no longer used.
  LoadResult load_ethnic_csv(std::istream& in);

  // Given names (middle + given, e.g. "Thị Hồng Nhung"), one per line, no
  // header: a user-provided name list. Its syllables become the known
  // given-name syllables (compared by tone key, so "Hoà" = "Hòa").
  LoadResult load_given_names(std::istream& in);
  // True when names were loaded and every syllable of s (middle + given
  // names, the surname removed) is a known one: a syllable of a loaded
  // name, or, before the last word, a built-in common middle name ("Thị",
  // "Văn": the lists hold given names, and no given name uses "Thị");
  // false otherwise. unknown (optional) gets the first unknown syllable.
  bool known_given_syllables(std::string_view s, std::string* unknown = nullptr) const;
  // A given-name syllable that differs from word only in its tone and that
  // at least `ratio` times as many loaded names use ("thế", in 21 names,
  // for "THỂ", in 1), in lower case; "" when none (or no list loaded).
  std::string commoner_tone_sibling(std::string_view word, int ratio = 2) const;
  // When no loaded name ends with the two words `middle given` but one
  // ends with two that differ from them only in tone marks ("mỹ yến" for
  // "MỸ YÊN"), that pair in lower case; "" otherwise (or no list loaded).
  // same_middle: only a pair whose first word is `middle` as written.
  std::string listed_tone_sibling_pair(std::string_view middle, std::string_view given,
                                       bool same_middle = false) const;
  // Whether word is a common middle name ("Thị", "Văn", "Lệ"; built in).
  bool is_middle_name(std::string_view word) const;

  bool has_gazetteer() const;
  bool has_ethnic_csv() const;
  bool has_given_names() const;
  size_t gazetteer_size() const;

  // Whole-string lookups. The reported spelling is the list's: for an
  // ethnic alias ("Khmer") the alias itself, so a value stays as written.
  Match match_ethnic(std::string_view s) const;
  Match match_nationality(std::string_view s) const;
  Match match_relation(std::string_view s) const;

  // Surname check for a full name: tries the first two words as a compound
  // surname ("Tôn Thất"), then the first word. words_used tells which.
  Match match_surname(std::string_view full_name, int* words_used = nullptr) const;
  // The listed single-word surnames that differ from word only in tone marks.
  std::vector<std::string> surname_tone_variants(std::string_view word) const;
  // Known wordings of a free-text field, by its Ministry key ("ghiChu",
  // "nktNguyenNhanChet"; built in: the "phrases" section of common.json).
  // text is compared whole (clean_text, trailing punctuation dropped) with
  // WordList::lookup: exact = a known wording as written; diacritics / edit
  // = one read with a misread mark or letter (the validator restores the
  // marks of a wording of two words or more, and doubts the rest); none for
  // a key without a list.
  Match match_phrase(std::string_view key, std::string_view text) const;
  // A syllable of ethnic-minority names that is not Vietnamese-shaped
  // ("Ksor", "Niê", "Bkrông"); compared by tone key.
  bool is_minority_syllable(std::string_view word) const;
  // A word of some unit name of the loaded gazetteer ("R'Bin" of "Ea
  // R'Bin", "Lắk"); compared by tone key. False without a gazetteer.
  bool is_place_word(std::string_view word) const;

  // Province codes for the first three digits of a CCCD: the current
  // (non-historical) level-1 codes when a gazetteer is loaded, else 1..96.
  bool is_province_code(int code) const;

  // Checks a place text part by part (split on commas, or before inner
  // type words written with diacritics when the OCR lost the commas; right to left:
  // province, district, commune, then free detail such as a village or
  // street), stripping type words and abbreviations ("Xã", "X.", "TT.",
  // "Huyện", "H.", "TP." ...), each part matched at its level under the
  // unit to its right. A component whose diacritics (or, under a known
  // parent, one letter) are misread is repaired only when exactly one unit
  // under that parent fits. certainty: 1 for a consistent chain down to the
  // commune; x0.92 per diacritic repair, x0.8 per edit repair; x0.6 when
  // the rightmost part is not a known place or country, when a part carrying
  // a type word is not recognised, or when the chain stops above the commune
  // while parts remain to its left, or when the chain stops above the
  // commune and the detail part left of it ends, after a dot, in a unit
  // under the chain ("Ấp 7. Thiện Phiến, Tiên Lữ": a comma read as a
  // dot), or when a dot follows any other word that is no abbreviation
  // ("Ba Sao. Cao Lãnh"); x0.6 when free detail has words that are not
  // Vietnamese syllables, minority syllables or words of a unit's name.
  // Without a gazetteer: 0.85 (nothing to check against) times the detail
  // check. value: the text with the spaces the engine drops restored after
  // abbreviations ("X.Phú" -> "X. Phú", "P.8" -> "P. 8") and commas.
  // A unit abbreviation followed by a comma ("X, Cam Phước Tây": its dot
  // read as a comma) gets its dot back, x0.9, where the chain then reaches
  // as far as the text as read with at most a mark or a letter repaired
  // (certainty >= 0.8); the text stays as read otherwise, x0.6.
  PlaceMatch match_place(std::string_view s) const;

  // Gazetteer access for tests and reports.
  std::vector<const AdminUnit*> find_units(std::string_view name, int level = 0) const;

 private:
  PlaceMatch match_place_as_read(std::string_view s) const;  // match_place without the comma repair
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotich::schema
