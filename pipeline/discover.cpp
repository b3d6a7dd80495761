#include "pipeline/discover.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "pipeline/errors.hpp"

namespace fs = std::filesystem;

namespace hotich::pipeline {
namespace {

bool is_image(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" || ext == ".tiff";
}

bool is_tiff(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".tif" || ext == ".tiff";
}

bool hidden(const fs::path& p) { return p.filename().string().starts_with("."); }

std::vector<fs::path> images_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (!hidden(e.path()) && e.is_regular_file(ec) && is_image(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
    return natural_less(a.filename().string(), b.filename().string());
  });
  return out;
}

BookSpec read_book(const fs::path& dir) {
  BookSpec book;
  book.id = dir.filename().string();
  book.dir = dir.string();
  fs::path meta = dir / "book.json";
  if (fs::exists(meta)) {
    std::ifstream in(meta);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) book.error = "book.json: cannot be read";
    else if (auto err = parse_book_json(ss.str(), &book.context); !err.empty()) book.error = "book.json: " + err;
  }
  int page_no = 0;
  for (auto& img : images_in(dir)) {
    // A TIFF may hold several pages; an unreadable one still counts as one
    // page, so it is recorded as failed rather than silently dropped.
    size_t frames = 1;
    if (is_tiff(img)) {
      try {
        frames = std::max<size_t>(1, cv::imcount(img.string()));
      } catch (const cv::Exception&) {
        frames = 1;
      }
    }
    for (size_t f = 0; f < frames; ++f)
      book.pages.push_back(PageRef{book.id, ++page_no, img.string(), int(f)});
  }
  return book;
}

}  // namespace

bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit((unsigned char)a[i]) && std::isdigit((unsigned char)b[j])) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit((unsigned char)a[i2])) ++i2;
      while (j2 < b.size() && std::isdigit((unsigned char)b[j2])) ++j2;
      std::string_view x(a.data() + i, i2 - i), y(b.data() + j, j2 - j);
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return (unsigned char)a[i] < (unsigned char)b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::string parse_book_json(const std::string& text, schema::BookContext* ctx) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "not valid JSON";
  if (!j.is_object()) return "not a JSON object";
  schema::BookContext c;
  if (j.contains("loaiSo")) {
    if (!j["loaiSo"].is_string()) return "loaiSo must be a string";
    c.type = schema::book_type_from_string(j["loaiSo"].get<std::string>());
    if (c.type == schema::BookType::unknown)
      return "loaiSo must be khai_sinh, ket_hon or khai_tu, not \"" + j["loaiSo"].get<std::string>() + "\"";
  }
  if (j.contains("quyenSo")) {
    if (!j["quyenSo"].is_string()) return "quyenSo must be a string";
    c.quyenSo = j["quyenSo"].get<std::string>();
  }
  if (j.contains("noiDangKy")) {
    if (!j["noiDangKy"].is_string()) return "noiDangKy must be a string";
    c.noiDangKy = j["noiDangKy"].get<std::string>();
  }
  if (j.contains("nam")) {
    if (j["nam"].is_number_integer()) c.year = j["nam"].get<int>();
    else if (j["nam"].is_string()) {
      try {
        c.year = std::stoi(j["nam"].get<std::string>());
      } catch (...) {
        return "nam must be a year";
      }
    } else return "nam must be a year";
    if (c.year < 1800 || c.year > 2200) return "nam must be a year";
  }
  *ctx = c;
  return "";
}

std::vector<BookSpec> discover_books(const std::string& input) {
  fs::path root(input);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Fatal("input folder not found: " + input, kExitUsage);
  std::vector<BookSpec> books;
  // A folder with images of its own is one book; otherwise each sub-folder is.
  if (!images_in(root).empty()) {
    books.push_back(read_book(fs::canonical(root)));
    return books;
  }
  for (auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory(ec) && !hidden(e.path())) {
      auto b = read_book(e.path());
      if (!b.pages.empty() || !b.error.empty()) books.push_back(std::move(b));
    }
  std::sort(books.begin(), books.end(), [](auto& a, auto& b) { return natural_less(a.id, b.id); });
  return books;
}

}  // namespace hotich::pipeline
