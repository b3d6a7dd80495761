// Store bulk-load benchmark (scripts/bench --store): writes synthetic pages
// of entries through Store::put_page, as the store stage does, and reports
// fields per second. Not a test: timings are for benchmarks only.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "pipeline/store.hpp"

using namespace hotich;

int main(int argc, char** argv) {
  long entries = 1000000;
  std::string path = "/tmp/hotich_bench_store.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--entries")) entries = std::stol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--db")) path = argv[i + 1];
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  const char* keys[] = {"so", "ngayDangKy", "nksHoTen", "nksGioiTinh", "nksNgaySinh", "nksNoiSinh",
                        "nksDanToc", "nksQuocTich", "meHoTen", "meNgaySinh", "meNoiCuTru", "chaHoTen",
                        "chaNgaySinh", "chaNoiCuTru", "nycHoTen", "nycQuanHe", "quyenSo", "noiDangKy"};
  const int per_page = 8;
  pipeline::Store store(path);
  auto run = store.begin_run("bench_store");
  pipeline::BookRecord book;
  book.id = "bench";
  book.path = "/bench";
  store.put_book(book);
  long fields = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long p = 0; p * per_page < entries; ++p) {
    pipeline::PageRecord rec;
    rec.book_id = "bench";
    rec.page_no = int(p + 1);
    rec.path = "/bench/" + std::to_string(p + 1) + ".jpg";
    rec.sha256 = std::to_string(p);
    rec.loai_so = "khai_sinh";
    for (int e = 0; e < per_page && p * per_page + e < entries; ++e) {
      schema::Entry entry;
      entry.index = e + 1;
      for (auto key : keys) {
        schema::Field f;
        f.key = key;
        f.value = "Nguyễn Thị Thanh Hương " + std::to_string(p * per_page + e);
        f.raw = f.value;
        f.conf = 0.97f;
        f.box = {100, 200 + 40 * e, 300, 32};
        if ((p + e) % 17 == 0) f.flag = "low_confidence";
        entry.fields.push_back(std::move(f));
        ++fields;
      }
      rec.entries.push_back(std::move(entry));
    }
    store.put_page(rec, run);
    if (p % 64 == 63) store.commit_batch();  // the store stage commits every few pages
  }
  store.commit_batch();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("entries        %ld\nfields         %ld\nseconds        %.1f\nfields/second  %.0f  (target >= 100000)\n",
              entries, fields, secs, double(fields) / secs);
  std::printf("database       %s, %.0f MB\n", path.c_str(),
              double(std::filesystem::file_size(path)) / 1e6);
  return 0;
}
