#include "schema/record.hpp"

#include <array>
#include <utility>

namespace hotich::schema {

const char* to_string(BookType t) {
  switch (t) {
    case BookType::khai_sinh: return "khai_sinh";
    case BookType::ket_hon: return "ket_hon";
    case BookType::khai_tu: return "khai_tu";
    case BookType::unknown: break;
  }
  return "unknown";
}

BookType book_type_from_string(const std::string& s) {
  if (s == "khai_sinh") return BookType::khai_sinh;
  if (s == "ket_hon") return BookType::ket_hon;
  if (s == "khai_tu") return BookType::khai_tu;
  return BookType::unknown;
}

namespace {
constexpr std::array<std::pair<FieldType, const char*>, 12> kFieldTypes{{
    {FieldType::text, "text"},
    {FieldType::entry_number, "entry_number"},
    {FieldType::book_number, "book_number"},
    {FieldType::name, "name"},
    {FieldType::gender, "gender"},
    {FieldType::date, "date"},
    {FieldType::year_or_date, "year_or_date"},
    {FieldType::place, "place"},
    {FieldType::ethnic, "ethnic"},
    {FieldType::nationality, "nationality"},
    {FieldType::relation, "relation"},
    {FieldType::id_number, "id_number"},
}};
}  // namespace

const char* to_string(FieldType t) {
  for (auto& [type, name] : kFieldTypes)
    if (type == t) return name;
  return "text";
}

bool field_type_from_string(const std::string& s, FieldType* out) {
  for (auto& [type, name] : kFieldTypes)
    if (s == name) {
      *out = type;
      return true;
    }
  return false;
}

const Field* Entry::find(const std::string& key) const {
  for (auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

Field* Entry::find(const std::string& key) {
  for (auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

}  // namespace hotich::schema
