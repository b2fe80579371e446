#include "output.hpp"

#include <cerrno>
#include <cstring>
#include <ostream>

#include <unistd.h>

namespace kapctl {

fd_output_buf::fd_output_buf(int fd) noexcept : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }

fd_output_buf::~fd_output_buf() { (void)drain(); }

bool fd_output_buf::write_all(const char* p, std::size_t n) noexcept {
  if (error_ != 0) return false;
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return false;
    }
    if (w == 0) {  // a zero-length write on a non-empty buffer: treat as a full device
      error_ = ENOSPC;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool fd_output_buf::drain() noexcept {
  const auto n = static_cast<std::size_t>(pptr() - pbase());
  const bool ok = write_all(pbase(), n);
  setp(buf_.data(), buf_.data() + buf_.size());  // on failure the bytes are dropped, not retried
  return ok;
}

fd_output_buf::int_type fd_output_buf::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int fd_output_buf::sync() { return drain() ? 0 : -1; }

std::streamsize fd_output_buf::xsputn(const char* s, std::streamsize n) {
  if (error_ != 0) return 0;
  const auto room = epptr() - pptr();
  if (n <= room) {
    traits_type::copy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  if (!drain()) return 0;
  if (n < static_cast<std::streamsize>(buf_.size())) {
    traits_type::copy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  return write_all(s, static_cast<std::size_t>(n)) ? n : 0;
}

std::string write_failure_reason(const std::ostream& out) {
  if (const auto* fd = dynamic_cast<const fd_output_buf*>(out.rdbuf()); fd != nullptr && fd->error() != 0) {
    return std::strerror(fd->error());
  }
  return "write failed";
}

}  // namespace kapctl
