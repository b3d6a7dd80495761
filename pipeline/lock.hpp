// One writer per database: `run` and `merge` hold an exclusive lock on
// "<db>.lock" (flock) for their whole life. The kernel drops the lock when
// the process dies, even by kill -9, so a crash never leaves a stale lock.
#pragma once
#include <string>

namespace hotich::pipeline {

class RunLock {
 public:
  // Takes the lock or throws Fatal(kExitLocked) at once, without waiting,
  // naming the database. Throws Fatal(kExitFatal) when the lock file cannot
  // be created.
  explicit RunLock(const std::string& db_path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace hotich::pipeline
