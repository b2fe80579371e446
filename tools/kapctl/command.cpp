#include "command.hpp"

#include "output.hpp"

#include <kap/version.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <ostream>

namespace kapctl {

arg_parser::arg_parser(std::span<const std::string_view> args, std::vector<std::string_view> value_options,
                       std::vector<std::string_view> flag_options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a.size() > 2 && a.substr(0, 2) == "--") {
      if (std::find(value_options.begin(), value_options.end(), a) != value_options.end()) {
        if (i + 1 >= args.size()) {
          error_ = std::string(a) + " needs a value";
          return;
        }
        values_.emplace_back(a, args[++i]);
      } else if (std::find(flag_options.begin(), flag_options.end(), a) != flag_options.end()) {
        flags_.push_back(a);
      } else {
        error_ = "unknown option " + std::string(a);
        return;
      }
    } else {
      positional_.push_back(a);
    }
  }
}

std::optional<std::string_view> arg_parser::value(std::string_view name) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string_view> arg_parser::values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : values_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool arg_parser::flag(std::string_view name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

kap::result<int> parse_int(std::string_view s) {
  int v = 0;
  const char* const end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec == std::errc::result_out_of_range && p == end) return kap::error{kap::errc::out_of_range, "is out of range"};
  if (ec != std::errc{} || p != end) return kap::error{kap::errc::parse_error, "is not an integer"};
  return v;
}

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

int usage_error(io& io, std::string_view command, std::string_view message) {
  io.err << "kapctl " << command << ": " << message << "\n";
  io.err << "Run 'kapctl " << command << " --help' for usage.\n";
  return exit_usage;
}

namespace {

void print_help(std::ostream& out) {
  out << "kapctl " << kap::version_string
      << " - ketamine-assisted psychotherapy protocols, sessions and outcome measures\n"
         "kap models protocols for software; it is not medical advice.\n\n"
         "Usage: kapctl <command> [arguments]\n"
         "       kapctl --version | --help\n"
         "       kapctl <command> --help\n\n"
         "Commands:\n";
  std::size_t width = 0;
  for (const auto& c : commands()) width = std::max(width, c.name.size());
  for (const auto& c : commands()) {
    out << "  " << std::left << std::setw(static_cast<int>(width + 2)) << c.name << c.summary << "\n";
  }
  out << "\nExit status: 0 success, 1 invalid input or rejected event, 2 usage error or unreadable input.\n";
}

int dispatch(std::span<const std::string_view> args, io& io) {
  if (args.empty()) {
    print_help(io.err);
    return exit_usage;
  }
  const std::string_view first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    print_help(io.out);
    return exit_ok;
  }
  if (first == "--version") {
    io.out << "kapctl " << kap::version_string << "\n";
    return exit_ok;
  }
  for (const auto& c : commands()) {
    if (c.name != first) continue;
    const auto rest = args.subspan(1);
    if (std::find(rest.begin(), rest.end(), std::string_view("--help")) != rest.end()) {
      io.out << c.help;
      return exit_ok;
    }
    return c.run(rest, io);
  }
  io.err << "kapctl: unknown command '" << first << "'\nRun 'kapctl --help' for the list of commands.\n";
  return exit_usage;
}

}  // namespace

int finish_output(io& io, int status) {
  io.out.flush();
  if (io.out) return status;
  io.err << "kapctl: cannot write to standard output: " << write_failure_reason(io.out) << "\n";
  return exit_usage;
}

int run(std::span<const std::string_view> args, io& io) {
  // Every command's output is checked here, once: what a command printed is only delivered when
  // the flush succeeds (a full disk, a closed pipe), whatever the command's own status was.
  return finish_output(io, dispatch(args, io));
}

}  // namespace kapctl
