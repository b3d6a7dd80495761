// SHA-256 of bytes, as lower-case hex. Thread-safe.
#pragma once
#include <string>
#include <string_view>

namespace hotich::pipeline {
std::string sha256_hex(std::string_view bytes);
}
