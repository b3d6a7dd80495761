#include "pipeline/shard.hpp"

#include <gtest/gtest.h>

#include <string>

using hotich::pipeline::parse_shard;
using hotich::pipeline::Shard;

TEST(ParseShard, Cases) {
  struct Case {
    const char* text;
    bool ok;
    int k, n;
  };
  const Case cases[] = {
      {"0/1", true, 0, 1}, {"2/3", true, 2, 3}, {"15/16", true, 15, 16}, {"3/3", false, 0, 0},
      {"-1/3", false, 0, 0}, {"1/0", false, 0, 0}, {"1", false, 0, 0}, {"a/b", false, 0, 0},
      {"1/3x", false, 0, 0}, {"", false, 0, 0},
  };
  for (auto& c : cases) {
    Shard s;
    EXPECT_EQ(parse_shard(c.text, &s), c.ok) << c.text;
    if (c.ok) {
      EXPECT_EQ(s.index, c.k) << c.text;
      EXPECT_EQ(s.count, c.n) << c.text;
    }
  }
}

TEST(Shard, EveryBookInExactlyOneShard) {
  for (int n : {1, 2, 3, 7, 16}) {
    std::vector<int> sizes(n);
    for (int b = 0; b < 2000; ++b) {
      std::string id = "KS-" + std::to_string(2000 + b % 25) + "-" + std::to_string(b);
      int owners = 0;
      for (int k = 0; k < n; ++k)
        if (Shard{k, n}.contains(id)) {
          ++owners;
          ++sizes[k];
        }
      ASSERT_EQ(owners, 1) << id << " in " << n << " shards";
    }
    for (int k = 0; k < n; ++k) EXPECT_GT(sizes[k], 2000 / n / 2) << "shard " << k << "/" << n << " is starved";
  }
}

TEST(Shard, StableAcrossMachines) {
  // FNV-1a-64 is fixed by definition: a changed hash would re-shard running jobs.
  EXPECT_EQ(hotich::pipeline::fnv1a64(""), 14695981039346656037ull);
  EXPECT_EQ(hotich::pipeline::fnv1a64("a"), 0xaf63dc4c8601ec8cull);
}
