#pragma once
// The switch between TesseractEngine and ocr/raw_line_images.cpp.
//
// While a thread's `raw_line_images` is true, Tesseract's in-memory copies
// of line images on that thread are kept uncompressed instead of as PNG
// (see raw_line_images.cpp for why and how). TesseractEngine sets it around
// each recognition (RawLineImages below) and nothing else does, so every
// other PNG the process writes through Leptonica stays a PNG. In a program
// that does not link raw_line_images.cpp the switch changes nothing.
//
// Thread safety: the flag is per thread.

namespace hotich::ocr::detail {

extern thread_local bool raw_line_images;

// Sets the flag for its lifetime (nests: restores the previous value).
class RawLineImages {
 public:
  RawLineImages() : before_(raw_line_images) { raw_line_images = true; }
  ~RawLineImages() { raw_line_images = before_; }
  RawLineImages(const RawLineImages&) = delete;
  RawLineImages& operator=(const RawLineImages&) = delete;

 private:
  bool before_;
};

}  // namespace hotich::ocr::detail
