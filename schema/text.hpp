// Unicode text helpers over UTF-8 std::string, built on utf8proc.
// All functions are pure and thread-safe. Invalid UTF-8 input is passed
// through byte-for-byte where it cannot be decoded (never throws).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hotich::schema {

// NFC-composes s. Vietnamese OCR output mixes precomposed and combining
// tone marks; every value we store or compare is NFC first.
std::string nfc(std::string_view s);

// NFC + every run of white space (incl. NBSP, tabs, newlines) folded to one
// ASCII space, trimmed at both ends. The export's "text" normal form.
std::string clean_text(std::string_view s);

// clean_text + Unicode case folding: the comparison key used by eval and
// by exact lexicon lookups ("NGUYỄN Văn" == "nguyễn văn").
std::string fold(std::string_view s);

// fold + all combining marks removed and đ -> d: the key for fuzzy matching
// ("Người mẹ" -> "nguoi me"). Loses information; never store it as a value.
std::string ascii_fold(std::string_view s);

// Upper/lower/title case of a UTF-8 string (Vietnamese letters included).
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_title(std::string_view s);  // first letter of each word upper, rest lower

// Splits on ASCII spaces after clean_text; no empty parts.
std::vector<std::string> words(std::string_view s);

// Levenshtein distance counted in code points (not bytes).
int edit_distance(std::string_view a, std::string_view b);

// Number of code points.
size_t length(std::string_view s);

// Number of letters (Unicode categories L*: a letter with its marks
// composed counts once; marks, digits and punctuation do not count).
int letter_count(std::string_view s);

}  // namespace hotich::schema
