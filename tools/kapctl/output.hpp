#pragma once

// kapctl's standard output: a stream buffer over a file descriptor that remembers why a write
// failed, so that the dispatcher can say "cannot write to standard output: No space left on
// device" instead of exiting 0 after losing what it printed (a full disk, a closed pipe).
// std::cout cannot tell: a failed write through stdio leaves only a flag, and errno is gone by
// the time anyone looks.

#include <array>
#include <iosfwd>
#include <streambuf>
#include <string>

namespace kapctl {

/// A buffered std::streambuf writing to a file descriptor it does not own. After the first failed
/// write every later write fails too, and `error()` keeps the errno of that first failure.
class fd_output_buf : public std::streambuf {
 public:
  explicit fd_output_buf(int fd) noexcept;
  fd_output_buf(const fd_output_buf&) = delete;
  fd_output_buf& operator=(const fd_output_buf&) = delete;
  ~fd_output_buf() override;
  /// The errno of the first failed write, or 0.
  [[nodiscard]] int error() const noexcept { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  bool drain() noexcept;  // writes the buffer out; false (with error_ set) on failure
  bool write_all(const char* p, std::size_t n) noexcept;
  int fd_;
  int error_ = 0;
  std::array<char, 64 * 1024> buf_{};
};

/// Why writing to `out` failed: the errno text when its buffer is an fd_output_buf that
/// recorded one, else "write failed".
std::string write_failure_reason(const std::ostream& out);

}  // namespace kapctl
