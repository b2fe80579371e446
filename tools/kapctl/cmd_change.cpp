// kapctl change INSTRUMENT --baseline N --current M [--sd S] [--reliability R] [--response-percent P]
//               [--remission RULE | --remission-at-most N]
#include "command.hpp"

#include <kap/core/result.hpp>
#include <kap/json.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/change.hpp>
#include <kap/measures/instrument_id.hpp>

#include <charconv>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>

namespace kapctl {

constexpr std::string_view change_help =
    "Usage: kapctl change INSTRUMENT --baseline N --current M [--sd S] [--reliability R]\n"
    "                     [--response-percent P] [--remission RULE | --remission-at-most N]\n\n"
    "Computes the change of an instrument's total from baseline to now (docs/instruments.md,\n"
    "\"Change analytics\") and prints one JSON object with the keys instrument, baseline,\n"
    "current, change, percent_change, response, response_percent, remission, remission_rule,\n"
    "remission_max, mcid, mcid_met, sd, reliability, sdiff, rci, reliable, reliable_change_min,\n"
    "cutoff, clinically_significant and category (recovered, improved, unchanged or\n"
    "deteriorated). Keys that do not apply to the instrument, or whose inputs are unknown, are\n"
    "absent: the reliable change index and category need an SD and a test-retest reliability.\n"
    "  --baseline N, --current M  the two totals (integers in the instrument's range)\n"
    "  --sd S                     SD for the reliable change index (> 0), overriding the default\n"
    "  --reliability R            test-retest reliability (0 <= R < 1), overriding the default\n"
    "  --response-percent P       response = a reduction of at least P% (1-100, default 50)\n"
    "  --remission RULE           a published remission rule by name (madrs: le12 or le10;\n"
    "                             bdi2: le13 or le9); default the instrument's first rule\n"
    "  --remission-at-most N      remission = a total of at most N, an explicit threshold (e.g.\n"
    "                             MADRS < 10 is --remission-at-most 9); N is an integer in the\n"
    "                             instrument's total range; symptom scales only\n"
    "Example: kapctl change phq9 --baseline 18 --current 6\n"
    "Exit status: 0 computed; 1 unknown instrument or one without an integer total\n"
    "(cssrs-screen, ebi), a value that is not a number or is out of range (including an SD so\n"
    "small or large that the RCI is not a finite number), an unknown remission rule, a\n"
    "--remission-at-most that is not an integer in the total range or is given for an instrument\n"
    "that is not a symptom scale; 2 usage error (--baseline and --current are required;\n"
    "--remission and --remission-at-most together).\n";

namespace {

int cmd_change(std::span<const std::string_view> args, io& io) {
  arg_parser p(args,
                {"--baseline", "--current", "--sd", "--reliability", "--response-percent", "--remission",
                 "--remission-at-most"},
                {});
  if (!p.error().empty()) return usage_error(io, "change", p.error());
  if (p.positional().empty()) return usage_error(io, "change", "give an instrument");
  if (p.positional().size() > 1) {
    return usage_error(io, "change", "unexpected argument " + std::string(p.positional()[1]));
  }
  const auto baseline_text = p.value("--baseline");
  const auto current_text = p.value("--current");
  if (!baseline_text || !current_text) return usage_error(io, "change", "--baseline and --current are required");

  // An explicit remission threshold is checked here, against the instrument's total range; a
  // wrong value exits 1 like any other wrong number (an unknown instrument is left to compute_change).
  const auto invalid = [&](const std::string& message) {
    io.err << "kapctl change: " << message << "\n";
    return exit_invalid;
  };
  std::optional<int> remission_at_most;
  if (const auto t = p.value("--remission-at-most")) {
    if (p.value("--remission")) return usage_error(io, "change", "give --remission or --remission-at-most, not both");
    const auto n = parse_int(*t);
    if (!n) return invalid("--remission-at-most: \"" + std::string(*t) + "\" " + n.error().message);
    if (const auto id = kap::measures::parse_instrument_id(p.positional()[0])) {
      const auto d = kap::measures::describe_instrument(*id);
      if (!d.response_percent || !d.total_max) {
        return invalid("--remission-at-most applies only to symptom scales; " + d.id + " is not one");
      }
      if (*n < 0 || *n > *d.total_max) {
        return invalid("--remission-at-most: " + std::to_string(*n) + " is outside " + d.id + "'s total range 0-" +
                       std::to_string(*d.total_max));
      }
    }
    remission_at_most = *n;
  }

  bool ok = true;
  auto integer = [&](std::string_view option, std::string_view text) -> int {
    const auto v = parse_int(text);
    if (!v) {
      io.err << "kapctl change: " << option << ": \"" << text << "\" " << v.error().message << "\n";
      ok = false;
      return 0;
    }
    return *v;
  };
  auto number = [&](std::string_view option, std::string_view text) -> double {
    const auto v = parse_number(text);
    if (!v) {
      io.err << "kapctl change: " << option << ": \"" << text << "\" is not a finite number\n";
      ok = false;
    }
    return v.value_or(0.0);
  };

  const int baseline = integer("--baseline", *baseline_text);
  const int current = integer("--current", *current_text);
  kap::measures::change_options options;
  if (const auto t = p.value("--sd")) options.sd = number("--sd", *t);
  if (const auto t = p.value("--reliability")) options.reliability = number("--reliability", *t);
  if (const auto t = p.value("--response-percent")) options.response_percent = integer("--response-percent", *t);
  if (const auto t = p.value("--remission")) options.remission_rule = *t;
  options.remission_max = remission_at_most;
  if (!ok) return exit_invalid;

  auto report = kap::measures::compute_change(p.positional()[0], baseline, current, options);
  if (!report) {
    io.err << "kapctl change: " << report.error().message << "\n";
    return exit_invalid;
  }
  io.out << kap::json::to_string(*report) << "\n";
  return exit_ok;
}

}  // namespace

const command change_command{"change", "compute change, response, remission and reliable change", change_help,
                             cmd_change};

}  // namespace kapctl
