// kapctl instruments [--json]
#include "command.hpp"

#include <kap/json.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/instrument.hpp>

#include <boost/describe/enum_to_string.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace kapctl {

constexpr std::string_view instruments_help =
    "Usage: kapctl instruments [--json]\n\n"
    "Lists the outcome instruments kap scores (docs/instruments.md). By default prints a table:\n"
    "the id to pass to `kapctl score` and `kapctl change`, the item count and scored answer\n"
    "ranges (several ranges when items differ, as for hamd17, and an answer that is accepted but\n"
    "not scored, as hamd17 item 16's 3 = not assessed), the score range, who completes it, the\n"
    "licence status and the full name.\n"
    "  --json  print the whole catalogue as a JSON array of instrument descriptors instead:\n"
    "          items, bands, flags, subscales, LOINC codes, licence terms, change defaults\n"
    "          (SD, reliability, MCID, cut-off, remission rules) and their sources\n"
    "Exit status: 0 listed, 2 usage error.\n";

namespace {

/// "9 x 0-3", "17 x 0-2/0-4 (item 16: 3 = not assessed)", "7 x y/n/-": the scored ranges, then
/// any answer that is accepted but not scored.
std::string items_column(const kap::measures::instrument& d) {
  std::string s = std::to_string(d.item_count) + " x ";
  const bool all_tokens = !d.items.empty() && std::all_of(d.items.begin(), d.items.end(),
                                                          [](const auto& it) { return it.answers.has_value(); });
  if (all_tokens) {
    const auto& answers = *d.items.front().answers;
    for (std::size_t i = 0; i < answers.size(); ++i) s += (i == 0 ? "" : "/") + answers[i];
    return s;
  }
  std::vector<std::pair<int, int>> ranges;
  for (const auto& it : d.items) ranges.emplace_back(it.min, it.max);
  std::sort(ranges.begin(), ranges.end());
  ranges.erase(std::unique(ranges.begin(), ranges.end()), ranges.end());
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (i != 0) s += "/";
    s += std::to_string(ranges[i].first) + "-" + std::to_string(ranges[i].second);
  }
  for (const auto& it : d.items) {
    if (it.not_assessed) {
      s += " (item " + std::to_string(it.number) + ": " + std::to_string(*it.not_assessed) + " = not assessed)";
    }
  }
  return s;
}

/// "0-27", "mean 0-100" (EBI), "risk level" (C-SSRS screener).
std::string score_column(const kap::measures::instrument& d) {
  if (!d.total_max) return "risk level";
  std::string range = "0-" + std::to_string(*d.total_max);
  return d.id == "ebi" ? "mean " + range : range;
}

int cmd_instruments(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {"--json"});
  if (!p.error().empty()) return usage_error(io, "instruments", p.error());
  if (!p.positional().empty()) {
    return usage_error(io, "instruments", "unexpected argument " + std::string(p.positional()[0]));
  }
  const std::vector<kap::measures::instrument> all = kap::measures::catalog();
  if (p.flag("--json")) {
    io.out << kap::json::to_string(all) << "\n";
    return exit_ok;
  }

  using row = std::array<std::string, 6>;
  std::vector<row> rows{{"ID", "ITEMS", "SCORE", "BY", "LICENCE", "NAME"}};
  for (const auto& d : all) {
    rows.push_back({d.id, items_column(d), score_column(d), d.administration,
                    boost::describe::enum_to_string(d.licence, "unknown"), d.name});
  }
  std::array<std::size_t, 6> width{};
  for (const row& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  for (const row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line.append(width[c] - r[c].size() + 2, ' ');
    }
    io.out << line << "\n";
  }
  io.out << "\nScore with 'kapctl score ID ITEM...'; 'kapctl instruments --json' has bands, flags, LOINC codes\n"
            "and sources.\n";
  return exit_ok;
}

}  // namespace

const command instruments_command{"instruments", "list the outcome instruments kap scores", instruments_help,
                                  cmd_instruments};

}  // namespace kapctl
