#pragma once

// Shared by the kapctl tests: run the CLI in-process, read files, split lines.

#include "command.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace kapctl::test {

/// What one kapctl invocation did.
struct outcome {
  int status;
  std::string out;
  std::string err;
};

/// Runs kapctl with `args` (no program name) and `input` on standard input.
inline outcome run(const std::vector<std::string_view>& args, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  kapctl::io io{in, out, err};
  const int status = kapctl::run(args, io);
  return {status, out.str(), err.str()};
}

/// A whole file as a string (empty when unreadable).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The lines of a text, without their newlines.
inline std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

/// True when `s` contains `part`.
inline bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace kapctl::test
