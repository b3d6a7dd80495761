#include "pipeline/shard.hpp"

#include <charconv>

namespace hotich::pipeline {

uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool Shard::contains(std::string_view book_id) const {
  return count <= 1 || fnv1a64(book_id) % uint64_t(count) == uint64_t(index);
}

bool parse_shard(const std::string& text, Shard* out) {
  auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  int k = -1, n = -1;
  auto r1 = std::from_chars(text.data(), text.data() + slash, k);
  auto r2 = std::from_chars(text.data() + slash + 1, text.data() + text.size(), n);
  if (r1.ec != std::errc() || r1.ptr != text.data() + slash) return false;
  if (r2.ec != std::errc() || r2.ptr != text.data() + text.size()) return false;
  if (n < 1 || k < 0 || k >= n) return false;
  *out = Shard{k, n};
  return true;
}

}  // namespace hotich::pipeline
