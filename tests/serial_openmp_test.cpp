// ocr/serial_openmp.cpp: hotich's own entry points for Tesseract's OpenMP
// regions are the ones the process uses, they cover every one libtesseract
// imports, and a `sections` construct hands out each section once, in
// order, nested ones included.
#include <dlfcn.h>

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/libtesseract_imports.hpp"

extern "C" {
void GOMP_parallel(void (*fn)(void*), void* data, unsigned num_threads, unsigned flags);
void GOMP_parallel_sections(void (*fn)(void*), void* data, unsigned num_threads, unsigned count, unsigned flags);
unsigned GOMP_sections_next();
void GOMP_sections_end_nowait();
int omp_get_num_threads();
int omp_get_thread_num();
}

namespace {

struct Entry {
  const char* name;
  void* ours;
};
const Entry kEntries[] = {
    {"GOMP_parallel", reinterpret_cast<void*>(&GOMP_parallel)},
    {"GOMP_parallel_sections", reinterpret_cast<void*>(&GOMP_parallel_sections)},
    {"GOMP_sections_next", reinterpret_cast<void*>(&GOMP_sections_next)},
    {"GOMP_sections_end_nowait", reinterpret_cast<void*>(&GOMP_sections_end_nowait)},
    {"omp_get_num_threads", reinterpret_cast<void*>(&omp_get_num_threads)},
    {"omp_get_thread_num", reinterpret_cast<void*>(&omp_get_thread_num)},
};

TEST(SerialOpenmp, TheProcessResolvesTheEntryPointsToHotichs) {
  for (const Entry& e : kEntries) EXPECT_EQ(dlsym(RTLD_DEFAULT, e.name), e.ours) << e.name << " resolves elsewhere (libgomp?)";
}

TEST(SerialOpenmp, LibtesseractImportsNoOtherOpenmpEntry) {
  const auto lib = hotich::testing::libtesseract_imports();
  if (!lib) GTEST_SKIP() << "SKIPPED: nm (binutils) could not read the loaded libtesseract";
  std::set<std::string> imports;
  for (const std::string& name : lib->names)
    if (name.starts_with("GOMP_") || name.starts_with("omp_")) imports.insert(name);
  if (imports.empty()) GTEST_SKIP() << "SKIPPED: " << lib->path << " imports no OpenMP entry (built without OpenMP)";
  std::set<std::string> ours;
  for (const Entry& e : kEntries) ours.insert(e.name);
  for (const std::string& name : imports)
    EXPECT_TRUE(ours.count(name)) << lib->path << " imports " << name << ", which ocr/serial_openmp.cpp does not define";
}

struct Trace {
  std::vector<unsigned> seen;
};

void inner_sections(void* p) {
  for (unsigned s; (s = GOMP_sections_next()) != 0;) static_cast<Trace*>(p)->seen.push_back(100 + s);
  GOMP_sections_end_nowait();
}

void outer_sections(void* p) {
  auto* t = static_cast<Trace*>(p);
  for (unsigned s; (s = GOMP_sections_next()) != 0;) {
    t->seen.push_back(s);
    if (s == 2) GOMP_parallel_sections(inner_sections, p, 4, 2, 0);
  }
  GOMP_sections_end_nowait();
}

TEST(SerialOpenmp, SectionsRunOnceEachInOrderNestedOnesToo) {
  Trace t;
  GOMP_parallel_sections(outer_sections, &t, 4, 3, 0);
  EXPECT_EQ(t.seen, (std::vector<unsigned>{1, 2, 101, 102, 3}));
  EXPECT_EQ(GOMP_sections_next(), 0u) << "no construct is open after the region";
}

TEST(SerialOpenmp, AParallelRegionRunsItsBodyOnceAsThreadZeroOfOne) {
  struct Seen {
    int calls = 0, threads = 0, id = -1;
  } seen;
  GOMP_parallel(
      [](void* p) {
        auto* s = static_cast<Seen*>(p);
        ++s->calls, s->threads = omp_get_num_threads(), s->id = omp_get_thread_num();
      },
      &seen, 4, 0);
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.threads, 1);
  EXPECT_EQ(seen.id, 0);
}

}  // namespace
