#pragma once

// Shared by the kapctl tests: run the CLI in-process, read files, split lines.

#include "command.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;  // posix_spawn passes it on

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

#ifdef KAP_KAPCTL_EXE
/// What one run of the real kapctl executable did.
struct spawned {
  int status = -1;  ///< exit status, or -1 when it did not exit normally
  int signal = 0;   ///< the signal that ended it, or 0
  std::string out;  ///< what it wrote to standard output (empty when stdout was given)
  std::string err;  ///< what it wrote to standard error
};

/// Runs the real kapctl executable with `args`. Standard input is read from `stdin_path`, standard
/// output goes to `stdout_path` (a device such as /dev/full, a FIFO, a file); when `stdout_path` is
/// empty it goes to a temporary file whose text is returned in `out`. `tag` names the temporary files.
inline spawned spawn_kapctl(const std::vector<std::string>& args, const std::string& tag,
                            const std::string& stdin_path = "/dev/null", const std::string& stdout_path = "") {
  spawned r;
  const auto dir = std::filesystem::temp_directory_path();
  const std::filesystem::path out = stdout_path.empty() ? dir / ("kapctl-" + tag + ".out") : std::filesystem::path(stdout_path);
  const std::filesystem::path err = dir / ("kapctl-" + tag + ".err");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_s{KAP_KAPCTL_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, KAP_KAPCTL_EXE, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return r;
  int ws = 0;
  if (waitpid(pid, &ws, 0) != pid) return r;
  if (WIFEXITED(ws)) r.status = WEXITSTATUS(ws);
  if (WIFSIGNALED(ws)) r.signal = WTERMSIG(ws);
  if (stdout_path.empty()) r.out = slurp(out);
  r.err = slurp(err);
  return r;
}
#endif

}  // namespace kapctl::test
