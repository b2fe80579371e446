#include "files.hpp"

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

#include <unistd.h>  // getpid: a temporary file name of this process

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
    if (!text) too_large(command, path, max_bytes, io);
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
  std::ifstream in{fs_path, std::ios::binary};
  if (!in) {
    io.err << "kapctl " << command << ": cannot read " << path << "\n";
    return std::nullopt;
  }
  auto text = read_capped(in, max_bytes);
  if (!text) too_large(command, path, max_bytes, io);
  return text;
}

loaded_protocol load_protocol(std::string_view command, std::string_view path, io& io, std::ostream& problems_out) {
  // A path that is not a file but names a reference protocol loads the embedded one.
  std::error_code ec;
  if (path != "-" && !std::filesystem::exists(std::filesystem::path(std::string(path)), ec)) {
    if (auto ref = kap::json::reference_protocol_text(path)) {
      return load_protocol_text(command, path, *ref, io, problems_out);
    }
  }
  auto text = read_input(command, path, io, kap::json::protocol_read_limits.max_bytes);
  if (!text) return {nullptr, exit_usage};
  return load_protocol_text(command, path, *text, io, problems_out);
}

loaded_protocol load_protocol_text(std::string_view command, std::string_view path, std::string_view text, io& io,
                                   std::ostream& problems_out) {
  auto p = kap::json::read_protocol(text);
  if (!p) {
    const bool unreadable = p.error().code == kap::errc::parse_error || p.error().code == kap::errc::too_large;
    io.err << "kapctl " << command << ": " << path << ": " << p.error().message << "\n";
    return {nullptr, unreadable ? exit_usage : exit_invalid};
  }
  auto problems = kap::check_protocol(*p);
  if (!problems.empty()) {
    io.err << "kapctl " << command << ": " << path << ": " << problems.size() << " problem"
           << (problems.size() == 1 ? "" : "s") << "\n";
    for (const auto& pr : problems) problems_out << pr.path << ": " << pr.message << "\n";
    return {nullptr, exit_invalid};
  }
  auto v = kap::validate(std::move(*p));
  return {std::make_shared<const kap::validated_protocol>(std::move(*v)), exit_ok};
}

std::string write_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return "cannot write " + path.string() + ": no such directory";
  const auto tmp = dir / ("." + path.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + path.string() + ": cannot create " + tmp.string();
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return "cannot write " + path.string() + ": write failed";
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return "cannot write " + path.string() + ": " + ec.message();
  }
  return "";
}

}  // namespace kapctl
