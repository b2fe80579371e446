#include "command.hpp"

#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  kapctl::io io{std::cin, std::cout, std::cerr};
  try {
    return kapctl::run(args, io);
  } catch (const std::exception& e) {  // I/O failures and broken preconditions only
    std::cerr << "kapctl: " << e.what() << "\n";
    return kapctl::exit_usage;
  }
}
