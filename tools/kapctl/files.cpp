#include "files.hpp"

#include <kap/core/detail/code_text.hpp>
#include <kap/json/reference.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kapctl {

namespace {

// Reads at most max_bytes + 1 bytes of `in`; nullopt when there were more than max_bytes.
std::optional<std::string> read_capped(std::istream& in, std::size_t max_bytes) {
  std::string out;
  std::array<char, 64 * 1024> buf{};
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (out.size() + n > max_bytes) return std::nullopt;
    out.append(buf.data(), n);
  }
  return out;
}

void too_large(std::string_view command, std::string_view path, std::size_t max_bytes, io& io,
               std::optional<std::uintmax_t> size = std::nullopt) {
  io.err << "kapctl " << command << ": " << path << ": input ";
  if (size) io.err << "of " << *size << " bytes ";
  io.err << "is over the limit of " << max_bytes << " bytes\n";
}

}  // namespace

bool read_line_capped(std::istream& in, std::string& line, std::size_t max_bytes, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* sb = in.rdbuf();
  bool any = false;
  for (;;) {
    const int c = sb->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (line.size() < max_bytes) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
}

std::optional<std::string> read_input(std::string_view command, std::string_view path, io& io, std::size_t max_bytes) {
  if (path == "-") {
    auto text = read_capped(io.in, max_bytes);
    if (!text) {
      too_large(command, path, max_bytes, io);
    } else if (io.in.bad()) {
      io.err << "kapctl " << command << ": cannot read standard input\n";
      return std::nullopt;
    }
    return text;
  }
  const std::filesystem::path fs_path{std::string(path)};
  std::error_code ec;
  if (std::filesystem::is_regular_file(fs_path, ec)) {
    const auto size = std::filesystem::file_size(fs_path, ec);
    if (!ec && size > max_bytes) {
      too_large(command, path, max_bytes, io, size);
      return std::nullopt;
    }
  }
  // A folder opens like a file on Linux and then reads as nothing: say so instead of reading it
  // as an empty input.
  if (std::filesystem::is_directory(fs_path, ec)) {
    io.err << "kapctl " << command << ": cannot read " << path << ": " << std::strerror(EISDIR) << "\n";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in{fs_path, std::ios::binary};
  if (!in) {
    io.err << "kapctl " << command << ": cannot read " << path;
    if (errno != 0) io.err << ": " << std::strerror(errno);
    io.err << "\n";
    return std::nullopt;
  }
  auto text = read_capped(in, max_bytes);
  if (!text) {
    too_large(command, path, max_bytes, io);
  } else if (in.bad()) {
    io.err << "kapctl " << command << ": cannot read " << path << ": read failed\n";
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> read_protocol_input(std::string_view command, std::string_view name_or_path, io& io) {
  // A path that exists is read; so is one that cannot be a reference name (a name is a code:
  // a-z, 0-9, '-' and '_'), so that "no-such.json" is "cannot read no-such.json: No such file".
  std::error_code ec;
  if (name_or_path == "-" || std::filesystem::exists(std::filesystem::path(std::string(name_or_path)), ec) ||
      !kap::detail::is_code(name_or_path)) {
    return read_input(command, name_or_path, io, kap::json::protocol_read_limits.max_bytes);
  }
  auto ref = kap::json::reference_protocol_text(name_or_path);
  if (!ref) {
    io.err << "kapctl " << command << ": " << name_or_path << " is not a file, and " << ref.error().message << "\n";
    return std::nullopt;
  }
  return std::string(*ref);
}

loaded_protocol load_protocol(std::string_view command, std::string_view path, io& io, std::ostream& problems_out) {
  auto text = read_protocol_input(command, path, io);
  if (!text) return {nullptr, exit_usage};
  return load_protocol_text(command, path, *text, io, problems_out);
}

namespace {

void report_problems(std::string_view command, std::string_view path, std::size_t count, io& io) {
  io.err << "kapctl " << command << ": " << path << ": " << count << " problem" << (count == 1 ? "" : "s") << "\n";
}

}  // namespace

loaded_protocol load_protocol_text(std::string_view command, std::string_view path, std::string_view text, io& io,
                                   std::ostream& problems_out) {
  auto p = kap::json::read_protocol(text);
  if (!p) {  // read, and found not to be a protocol: one problem, the decoder's
    report_problems(command, path, 1, io);
    problems_out << p.error().message << "\n";
    return {nullptr, error_status(p.error())};
  }
  auto problems = kap::check_protocol(*p);
  if (!problems.empty()) {
    report_problems(command, path, problems.size(), io);
    for (const auto& pr : problems) problems_out << pr.path << ": " << pr.message << "\n";
    return {nullptr, exit_invalid};
  }
  auto v = kap::validate(std::move(*p));
  return {std::make_shared<const kap::validated_protocol>(std::move(*v)), exit_ok};
}

output_file::output_file(std::filesystem::path target) : target_(std::move(target)) {}

output_file::~output_file() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty() && !published_) ::unlink(temp_.c_str());
}

std::string output_file::failure(int error_number) const {
  return "cannot write " + target_.string() + ": " + std::strerror(error_number);
}

std::string output_file::open() {
  struct stat st {};
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return target_.string() + " is not a regular file";
  const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return "cannot write " + target_.string() + ": no such directory";
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_ = dir / ("." + target_.filename().string() + ".kapctl-" + std::to_string(::getpid()) + "-" +
                   std::to_string(attempt) + ".tmp");
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) return "";
    if (errno != EEXIST) break;
  }
  const int e = errno;
  temp_.clear();
  return failure(e);
}

bool output_file::drain() {
  const char* p = buffer_.data();
  std::size_t n = buffer_.size();
  while (n > 0 && error_ == 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno != EINTR) error_ = errno;
      continue;
    }
    if (w == 0) error_ = ENOSPC;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  buffer_.clear();
  return error_ == 0;
}

void output_file::write(std::string_view text) {
  if (fd_ < 0 || error_ != 0) return;
  buffer_.append(text);
  if (buffer_.size() >= 64 * 1024) (void)drain();
}

std::string output_file::finish() {
  if (fd_ < 0) return failure(EBADF);
  int e = drain() ? 0 : error_;
  if (e == 0 && ::fsync(fd_) != 0) e = errno;
  if (::close(fd_) != 0 && e == 0) e = errno;
  fd_ = -1;
  if (e != 0) {
    ::unlink(temp_.c_str());
    temp_.clear();
    return failure(e);
  }
  return "";
}

std::string output_file::publish() {
  if (temp_.empty() || fd_ >= 0) return failure(EBADF);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) return failure(errno);
  published_ = true;
  const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return failure(errno);
  const int e = ::fsync(dfd) == 0 ? 0 : errno;
  ::close(dfd);
  return e == 0 ? "" : failure(e);
}

std::string write_atomically(const std::filesystem::path& path, std::string_view text) {
  output_file f(path);
  if (auto problem = f.open(); !problem.empty()) return problem;
  f.write(text);
  if (auto problem = f.finish(); !problem.empty()) return problem;
  return f.publish();
}

}  // namespace kapctl
