#include "files.hpp"

#include <kap/json/reference.hpp>

#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>

namespace kapctl {

std::optional<std::string> read_input(std::string_view command, std::string_view path, io& io) {
  if (path == "-") {
    std::ostringstream ss;
    ss << io.in.rdbuf();
    return ss.str();
  }
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) {
    io.err << "kapctl " << command << ": cannot read " << path << "\n";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

loaded_protocol load_protocol(std::string_view command, std::string_view path, io& io, std::ostream& problems_out) {
  // A path that is not a file but names a reference protocol loads the embedded one.
  std::error_code ec;
  if (path != "-" && !std::filesystem::exists(std::filesystem::path(std::string(path)), ec)) {
    if (auto ref = kap::json::reference_protocol_text(path)) {
      return load_protocol_text(command, path, *ref, io, problems_out);
    }
  }
  auto text = read_input(command, path, io);
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

}  // namespace kapctl
