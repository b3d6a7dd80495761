// Tesseract's line images, kept uncompressed while hotich recognises.
//
// Why: for every word it hands to the LSTM, Tesseract cuts the line image
// out of the page and stores it in an ImageData, which encodes it as PNG
// (ImageData::SetPixInternal: pixWriteMem(..., IFF_PNG)) only to decode it
// again a moment later (GetPixInternal: pixReadMem) and scale it to the
// network's height. That round trip is zlib deflate and inflate of every
// line: 5% of the OCR stage's CPU on bench pages (perf, 2026-11;
// BENCHMARKS.md, fifteenth session). The PNG never leaves the process.
//
// How: the executable defines pixWriteMem, which libtesseract imports from
// Leptonica (nm -D libtesseract.so.5 | grep pixWriteMem); the dynamic linker
// searches the executable first, so Tesseract's calls land here. While the
// calling thread is inside TesseractEngine's recognition
// (detail::raw_line_images), a PNG request is written in Leptonica's own
// uncompressed serialisation (spix) instead; pixReadMem recognises either
// from its first bytes, so Tesseract reads back the same pixels. Every
// other call, and every call outside recognition, goes to Leptonica's
// pixWriteMem unchanged. Like serial_openmp.cpp, this file is linked as
// objects into each program that runs Tesseract (CMakeLists.txt:
// hotich_tesseract_hooks); tests/raw_line_images_test.cpp checks that the
// process uses it, that pixels and readings are the same either way, and
// that PNGs written outside recognition are still PNGs.
//
// Thread safety: as Leptonica's pixWriteMem; the switch is per thread.
#include "ocr/raw_line_images.hpp"

#include <dlfcn.h>

#include <leptonica/allheaders.h>

extern "C" l_ok pixWriteMem(l_uint8** pdata, size_t* psize, PIX* pix, l_int32 format) {
  if (format == IFF_PNG && hotich::ocr::detail::raw_line_images)
    return pixWriteMemSpix(pdata, psize, pix);
  using Write = l_ok (*)(l_uint8**, size_t*, PIX*, l_int32);
  static const auto leptonica = reinterpret_cast<Write>(dlsym(RTLD_NEXT, "pixWriteMem"));
  return leptonica ? leptonica(pdata, psize, pix, format) : 1;
}
