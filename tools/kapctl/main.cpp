#include "command.hpp"
#include "output.hpp"

#include <csignal>
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include <unistd.h>

int main(int argc, char** argv) {
  // A closed pipe or a file over RLIMIT_FSIZE is a failed write that kapctl reports (EPIPE,
  // EFBIG) and exits 2 on, not a signal that kills it without a word.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  kapctl::fd_output_buf out_buf(STDOUT_FILENO);
  std::ostream out(&out_buf);
  kapctl::io io{std::cin, out, std::cerr};
  try {
    return kapctl::run(args, io);
  } catch (const std::exception& e) {  // I/O failures and broken preconditions only
    out.flush();
    std::cerr << "kapctl: " << e.what() << "\n";
    return kapctl::exit_usage;
  }
}
