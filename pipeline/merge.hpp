// `hotich merge --into central.db shard.db...`: gathers the per-shard
// databases of a sharded run into one.
//
// Idempotent: a book already in the central DB with the same pages (page
// number, SHA-256, status) is skipped, so merging twice changes nothing.
// A book found in two of the shards given, or already in the central DB
// with different pages, is an error that names the book; then nothing is
// written. Holds the central DB's run lock.
#pragma once
#include <string>
#include <vector>

namespace hotich::pipeline {

struct MergeResult {
  long books_merged = 0;
  long books_already = 0;  // present with the same pages: skipped
  long pages = 0;
  long entries = 0;
};

// Throws Fatal (naming the book) on a conflict, or on a DB that cannot be read.
MergeResult merge_into(const std::string& central, const std::vector<std::string>& shards);

int cmd_merge(const std::vector<std::string>& args);

}  // namespace hotich::pipeline
