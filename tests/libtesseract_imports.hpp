// The symbols the loaded libtesseract imports, as `nm -D --undefined-only`
// lists them: for the tests of hotich's own definitions of library functions
// that Tesseract calls (ocr/serial_openmp.cpp, ocr/raw_line_images.cpp).
#pragma once
#include <dlfcn.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <tesseract/capi.h>

namespace hotich::testing {

struct LibtesseractImports {
  std::string path;             // the libtesseract this process loaded
  std::set<std::string> names;  // its undefined dynamic symbols
};

// nullopt when the library or nm (binutils) could not be read.
inline std::optional<LibtesseractImports> libtesseract_imports() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&TessVersion), &info) == 0 || !info.dli_fname) return std::nullopt;
  LibtesseractImports out{info.dli_fname, {}};
  const std::string cmd = "nm -D --undefined-only '" + out.path + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> nm(popen(cmd.c_str(), "r"), pclose);
  if (!nm) return std::nullopt;
  char buf[512];
  while (fgets(buf, sizeof buf, nm.get())) {
    std::istringstream line(buf);
    std::string kind, name;
    if (line >> kind >> name && kind == "U") out.names.insert(name.substr(0, name.find('@')));
  }
  const int status = pclose(nm.release());
  if (status != 0 && out.names.empty()) return std::nullopt;
  return out;
}

}  // namespace hotich::testing
