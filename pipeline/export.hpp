// Exporting stored entries.
//
// JSONL: one object per entry, ordered by book, page, entry:
//   {"book": "<book id>", "page": <1-based page in book>, "entry": <1-based on page>,
//    "loaiSo": "khai_sinh|ket_hon|khai_tu", "status": "auto|review|verified|rejected",
//    "fields": {"<key>": "<value>", ...}, "flagged": ["<key>", ...]}
// Keys are the Ministry import-template keys; quyenSo and noiDangKy are on
// every entry. Fields are in key order; flagged lists fields sent to review.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace hotich::pipeline {

// Writes every entry of the DB at db_path. Throws Fatal when the DB cannot
// be opened. Returns the number of entries written.
long export_jsonl(const std::string& db_path, std::ostream& out);

// `hotich export` (args after the command name). Returns an exit code.
int cmd_export(const std::vector<std::string>& args);

}  // namespace hotich::pipeline
