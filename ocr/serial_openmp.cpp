// Tesseract's OpenMP regions, run by hotich itself on the calling thread.
//
// Why: hotich gives every worker thread its own Tesseract and runs one
// thread per core, so OpenMP may never start threads of its own
// (OMP_THREAD_LIMIT=1). libgomp still builds a team of one for every
// parallel region, and ends it at a barrier whose last thread always wakes
// the waiters with a futex system call, waiters or none. Tesseract's LSTM
// opens a region per time step and per layer: about 55,000 futex calls a
// page, 9% of a run's CPU time at --jobs 1 and 12% at --jobs 2 (bench
// pages, perf and strace -c, 2026-11; BENCHMARKS.md, thirteenth session).
// A team of one does exactly what these functions do.
//
// How: the executable defines the libgomp entry points that libtesseract
// imports (nm -D libtesseract.so.5 | grep ' U .*\(GOMP\|omp_\)'). The
// dynamic linker searches the executable before libgomp, so Tesseract's
// calls land here. These are extern "C" functions of the libgomp ABI
// (GCC's libgomp/libgomp_g.h); this file is linked as objects into every
// program that runs Tesseract (CMakeLists.txt: hotich_tesseract_hooks), since
// nothing in hotich calls them and a static archive would drop them.
//
// tests/serial_openmp_test.cpp checks that these are the entry points the
// process uses, and that libtesseract imports no other: libgomp's
// work-sharing calls (GOMP_loop_*, GOMP_sections_start) would not mix with
// these, so a Tesseract built with more needs them added here first.
//
// Thread safety: the sections counter is per thread; regions may nest.

extern "C" {

namespace {
// The open `sections` construct of this thread: the next section number to
// hand out and the last one (GOMP numbers sections from 1; 0 means none left).
thread_local unsigned next_section = 1, section_count = 0;
}  // namespace

// #pragma omp parallel: fn is the outlined body; a team of one runs it once.
void GOMP_parallel(void (*fn)(void*), void* data, unsigned /*num_threads*/, unsigned /*flags*/) {
  fn(data);
}

// #pragma omp parallel sections: the body asks GOMP_sections_next for
// section numbers until it gets 0; a team of one takes them all in order.
void GOMP_parallel_sections(void (*fn)(void*), void* data, unsigned /*num_threads*/, unsigned count,
                            unsigned /*flags*/) {
  const unsigned outer_next = next_section, outer_count = section_count;
  next_section = 1, section_count = count;
  fn(data);
  next_section = outer_next, section_count = outer_count;
}

unsigned GOMP_sections_next() { return next_section <= section_count ? next_section++ : 0; }

void GOMP_sections_end_nowait() {}

int omp_get_num_threads() { return 1; }

int omp_get_thread_num() { return 0; }

}  // extern "C"
