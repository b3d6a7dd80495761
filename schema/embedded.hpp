// Data files of schema/ (form definitions, SQL migrations) compiled into the
// binary by cmake/embed.cmake, keyed by their path from the repo root, e.g.
// "schema/migrations/0001_initial.sql". Immutable; thread-safe.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace hotich::schema {
const std::map<std::string, std::string_view>& embedded_files();
}
