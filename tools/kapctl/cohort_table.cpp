#include "cohort_table.hpp"

#include <cstdio>
#include <ostream>
#include <string>

namespace kapctl {
namespace {

std::string pct(const std::optional<kap::stats::proportion>& p) {
  if (!p) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%5.1f%% (%4.1f-%4.1f)", 100 * p->estimate, 100 * p->lower, 100 * p->upper);
  return buf;
}

std::string median(const kap::stats::km_curve& k, const char* unit) {
  if (!k.median) return "not reached";
  char buf[64];
  const auto bound = [](const std::optional<double>& v) { return v ? std::to_string(static_cast<int>(*v)) : std::string("NR"); };
  std::snprintf(buf, sizeof buf, "%g %s (%s-%s)", *k.median, unit, bound(k.median_lower).c_str(), bound(k.median_upper).c_str());
  return buf;
}

}  // namespace

void print_cohort_table(std::ostream& out, const kap::course::cohort_summary& s) {
  if (s.synthetic) out << "SYNTHETIC DATA: simulated patients, not real outcomes. Not medical advice.\n";
  out << "Outcome: " << s.instrument << "; response = >=50% reduction, remission by the instrument's rule, "
      << "both at the last assessment;\n95% Wilson intervals; median time to first response (Kaplan-Meier, 95% CI; "
      << "NR = not reached).\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-18s %5s %6s  %-22s %-22s %-22s %-24s\n", "arm", "n", "usable", "response",
                "remission", "median sessions", "median days");
  out << line;
  for (const auto& a : s.arms) {
    std::snprintf(line, sizeof line, "%-18s %5zu %6zu  %-22s %-22s %-22s %-24s\n", a.arm.c_str(), a.n,
                  a.completeness.usable, pct(a.response).c_str(), pct(a.remission).c_str(),
                  median(a.sessions_to_response, "sessions").c_str(), median(a.days_to_response, "days").c_str());
    out << line;
  }
  if (s.comparison && s.comparison->response_difference) {
    const auto& d = *s.comparison->response_difference;
    std::snprintf(line, sizeof line, "\nresponse difference %s - %s: %+.1f points (95%% CI %+.1f to %+.1f)\n",
                  s.comparison->first.c_str(), s.comparison->second.c_str(), 100 * d.difference, 100 * d.lower,
                  100 * d.upper);
    out << line;
  }
}

}  // namespace kapctl
