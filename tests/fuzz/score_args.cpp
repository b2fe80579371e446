// Fuzz target: instrument scoring from command-line arguments, through the real CLI
// (`kapctl score ARG...`, run in-process through kapctl_lib).
//
// The input is the argument list, one argument per line (as a shell would split
// `kapctl score phq9 1 2 ...`). Invariants: the exit status is 0 (scored: one JSON line on
// stdout - or the help text for --help - nothing on stderr), 1 or 2 (a message on stderr, nothing on stdout).

#include "fuzz_check.hpp"

#include "command.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = kap::fuzz::text(data, size);
  std::vector<std::string_view> args{"score"};
  for (std::size_t pos = 0; pos <= input.size();) {
    const std::size_t end = std::min(input.find('\n', pos), input.size());
    args.push_back(input.substr(pos, end - pos));
    pos = end + 1;
  }
  if (args.size() > 256) return 0;  // far beyond any instrument's item count

  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  kapctl::io io{in, out, err};
  const int status = kapctl::run(args, io);
  if (status == kapctl::exit_ok) {
    KAP_FUZZ_CHECK(err.str().empty());
    const std::string s = out.str();
    // One JSON object, or the help text when an argument asked for it (--help anywhere).
    KAP_FUZZ_CHECK((s.size() > 2 && s.front() == '{' && s.back() == '\n') || s.rfind("Usage: kapctl score", 0) == 0);
  } else {
    KAP_FUZZ_CHECK(status == kapctl::exit_invalid || status == kapctl::exit_usage);
    KAP_FUZZ_CHECK(out.str().empty() && !err.str().empty());
  }
  return 0;
}
