// Deterministic sharding of books across machines (`run --shard K/N`).
// A book belongs to shard K (0-based, K < N) when FNV-1a-64(book id) mod N
// == K: the same on every machine and every run, independent of the order
// or number of books, so a Slurm array or a Kubernetes indexed Job can give
// each task the same command with its own index.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace hotich::pipeline {

struct Shard {
  int index = 0;  // K
  int count = 1;  // N
  bool contains(std::string_view book_id) const;
};

// Parses "K/N" (0 <= K < N). Returns false (and leaves out untouched) when malformed.
bool parse_shard(const std::string& text, Shard* out);

uint64_t fnv1a64(std::string_view s);

}  // namespace hotich::pipeline
