#include "pipeline/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pipeline/errors.hpp"

namespace hotich::pipeline {

RunLock::RunLock(const std::string& db_path) {
  std::string path = db_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Fatal("cannot create lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw Fatal("another hotich run is writing " + db_path + " (lock " + path + "); try again when it ends",
                  kExitLocked);
    throw Fatal("cannot lock " + path + ": " + std::strerror(err));
  }
  // The holder's pid, for a person wondering who holds it.
  if (::ftruncate(fd_, 0) == 0) {
    std::string pid = std::to_string(::getpid()) + "\n";
    [[maybe_unused]] auto n = ::write(fd_, pid.data(), pid.size());
  }
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace hotich::pipeline
