// ocr/raw_line_images.cpp: the process uses hotich's pixWriteMem, which keeps
// line images uncompressed only inside TesseractEngine's recognition, gives
// back the same pixels either way, and leaves Tesseract's readings as they
// were with PNG.
#include "ocr/raw_line_images.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include "tests/libtesseract_imports.hpp"

using hotich::ocr::detail::raw_line_images;
using hotich::ocr::detail::RawLineImages;

namespace {

const std::string kData = std::string(HOTICH_SOURCE_DIR) + "/tests/data/ocr/";

struct PixFree {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixFree>;

// Writes pix as PNG through pixWriteMem and reads it back.
struct Written {
  std::vector<l_uint8> bytes;
  PixPtr back;
};
Written write_png(PIX* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  Written w;
  if (pixWriteMem(&data, &size, pix, IFF_PNG) != 0) return w;
  w.bytes.assign(data, data + size);
  w.back.reset(pixReadMem(data, size));
  lept_free(data);
  return w;
}

PixPtr test_pix(int depth) {
  PixPtr pix(pixCreate(37, 11, depth));
  for (int y = 0; y < 11; ++y)
    for (int x = 0; x < 37; ++x)
      pixSetPixel(pix.get(), x, y, depth == 1 ? (x * y) % 3 == 0 : depth == 8 ? (x * 7 + y * 13) % 256 : 0x10203000u * unsigned(x + y));
  return pix;
}

bool is_png(const std::vector<l_uint8>& b) { return b.size() > 4 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'; }

}  // namespace

TEST(RawLineImages, TheProcessResolvesPixWriteMemToHotichs) {
  void* leptonica = dlsym(RTLD_NEXT, "pixWriteMem");
  ASSERT_NE(leptonica, nullptr) << "Leptonica's pixWriteMem not found after the executable";
  EXPECT_NE(dlsym(RTLD_DEFAULT, "pixWriteMem"), leptonica) << "pixWriteMem resolves to Leptonica's: the hook is not linked";
}

TEST(RawLineImages, LibtesseractImportsPixWriteMem) {
  const auto lib = hotich::testing::libtesseract_imports();
  if (!lib) GTEST_SKIP() << "SKIPPED: nm (binutils) could not read the loaded libtesseract";
  // Without these imports the hook would silently stop saving anything.
  EXPECT_TRUE(lib->names.count("pixWriteMem")) << lib->path << " no longer imports pixWriteMem";
  EXPECT_TRUE(lib->names.count("pixReadMem")) << lib->path << " no longer imports pixReadMem";
}

TEST(RawLineImages, OutsideRecognitionAPngIsAPng) {
  ASSERT_FALSE(raw_line_images);
  PixPtr pix = test_pix(8);
  Written w = write_png(pix.get());
  EXPECT_TRUE(is_png(w.bytes));
  ASSERT_TRUE(w.back);
  l_int32 same = 0;
  pixEqual(pix.get(), w.back.get(), &same);
  EXPECT_TRUE(same);
}

TEST(RawLineImages, InsideRecognitionTheSamePixelsComeBackUncompressed) {
  for (int depth : {1, 8, 32}) {
    PixPtr pix = test_pix(depth);
    Written w;
    {
      RawLineImages raw;
      {
        RawLineImages nested;
      }
      EXPECT_TRUE(raw_line_images) << "a nested switch must restore, not clear";
      w = write_png(pix.get());
    }
    EXPECT_FALSE(raw_line_images);
    EXPECT_FALSE(is_png(w.bytes)) << "depth " << depth;
    ASSERT_TRUE(w.back) << "depth " << depth;
    l_int32 same = 0;
    pixEqual(pix.get(), w.back.get(), &same);
    EXPECT_TRUE(same) << "depth " << depth;
  }
}

// The whole recognition, PNG and raw: the same words, confidences and
// per-symbol rivals (line_rival.png has strong ones).
TEST(RawLineImages, TesseractReadsTheSameEitherWay) {
  const char* prefix = std::getenv("TESSDATA_PREFIX");
  tesseract::TessBaseAPI api;
  if (api.Init(prefix, "vie", tesseract::OEM_LSTM_ONLY) != 0)
    GTEST_SKIP() << "SKIPPED: Tesseract model vie.traineddata not installed";
  api.SetVariable("lstm_choice_mode", "2");
  api.SetVariable("debug_file", "/dev/null");
  for (const char* name : {"line_vi.png", "line_rival.png"}) {
    PixPtr pix(pixRead((kData + name).c_str()));
    ASSERT_TRUE(pix) << name;
    auto read = [&](bool raw) {
      std::string out;
      raw_line_images = raw;
      api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
      api.SetImage(pix.get());
      api.SetSourceResolution(300);
      EXPECT_EQ(api.Recognize(nullptr), 0);
      raw_line_images = false;
      std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
      if (it) do {
          char* s = it->GetUTF8Text(tesseract::RIL_SYMBOL);
          out += std::string(s ? s : "") + ":" + std::to_string(it->Confidence(tesseract::RIL_SYMBOL));
          delete[] s;
          tesseract::ChoiceIterator ci(*it);
          do {
            if (ci.GetUTF8Text()) out += std::string("|") + ci.GetUTF8Text() + ":" + std::to_string(ci.Confidence());
          } while (ci.Next());
          out += "\n";
        } while (it->Next(tesseract::RIL_SYMBOL));
      api.Clear();
      return out;
    };
    const std::string png = read(false), raw = read(true);
    EXPECT_FALSE(png.empty()) << name;
    EXPECT_EQ(png, raw) << name;
  }
  api.End();
}
