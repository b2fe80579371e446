#pragma once

/// @file
/// `kap::measures::score_report`: a scored record as kapctl prints it.
///
/// The report is described with Boost.Describe so that the JSON layer prints it directly:
/// keys whose `std::optional` is empty are omitted, so each instrument shows only what its rules
/// produce (`subscales` for PCL-5 and MEQ30, `risk` for the C-SSRS screener, `mean` and `sum`
/// for the EBI). `flags` is always present and lists raised flags; a flag whose item was not
/// answered (prorated records only) is listed under `unknown_flags` instead, never dropped.

#include <kap/measures/detail/tables.hpp>
#include <kap/measures/band.hpp>
#include <kap/measures/flag.hpp>
#include <kap/measures/risk.hpp>
#include <kap/measures/score_summary.hpp>

#include <boost/describe/class.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kap::measures {

/// One scored record, for printing. Absent optionals are keys the instrument does not produce.
struct score_report {
  std::string instrument;                     ///< catalogue id, e.g. "phq9"
  std::optional<int> total;                   ///< the total; absent for the C-SSRS screener and the EBI
  std::optional<int> max;                     ///< the highest possible total; absent with `total`
  std::optional<severity_band> band;          ///< the band of `total`, for banded instruments
  std::optional<std::string> band_set;        ///< the band set used, when the instrument has several
  std::vector<flag> flags;                    ///< raised flags (possibly empty)
  std::optional<std::vector<flag>> unknown_flags;        ///< flags whose item was not answered
  std::optional<std::map<std::string, int>> subscales;   ///< PCL-5 clusters B-E; MEQ30 factors
  std::optional<bool> provisional_dsm5;       ///< PCL-5: the DSM-5 symptom rule holds
  std::optional<bool> provisional_cutpoint;   ///< PCL-5: total >= cutpoint
  std::optional<int> cutpoint;                ///< PCL-5: the cut point used
  std::optional<bool> complete_mystical_experience;  ///< MEQ30: every subscale >= 60% of its maximum
  std::optional<risk_level> risk;             ///< C-SSRS screener: triage level
  std::optional<double> mean;                 ///< EBI: the score, the mean of the 6 items (0-100)
  std::optional<int> sum;                     ///< EBI: the sum of the 6 items (0-600)
  std::optional<bool> prorated;               ///< present (true) when the total was prorated
  std::optional<std::vector<int>> missing_items;  ///< prorated records: the unanswered item numbers

  friend bool operator==(const score_report&, const score_report&) = default;
};
BOOST_DESCRIBE_STRUCT(score_report, (),
                      (instrument, total, max, band, band_set, flags, unknown_flags, subscales, provisional_dsm5,
                       provisional_cutpoint, cutpoint, complete_mystical_experience, risk, mean, sum, prorated,
                       missing_items))

/// Turns a fast-path summary into the printable report of its instrument.
///
/// A summary returned by `score` always reports in full. A hand-built summary that `score` could
/// not have returned gets a defined, reduced report instead of a guess:
///   - `instrument` outside the catalogue: `{"instrument":"unknown","flags":[]}` and nothing else
///     (there is no spec to say what its fields mean);
///   - `band_set` not an index of the instrument's band sets (including any band on an unbanded
///     instrument): `band` and `band_set` are both omitted, since the band cannot be attributed
///     to a published set.
/// @param s a summary, normally one returned by `score`
/// @return the report; cannot fail. Allocates the strings and containers it holds.
[[nodiscard]] inline score_report make_report(const score_summary& s) {
  score_report r;
  r.instrument = std::string(to_string(s.instrument));
  const detail::spec* const found = detail::find_spec(s.instrument);
  if (found == nullptr) return r;
  const detail::spec& sp = *found;
  if (s.instrument == instrument_id::ebi) {
    r.sum = s.total;
    r.mean = static_cast<double>(s.total) / static_cast<double>(sp.item_count);
  } else if (sp.has_total) {
    r.total = s.total;
    r.max = sp.total_max;
  }
  if (s.band && s.band_set < sp.band_sets.size()) {
    r.band = s.band;
    if (sp.band_sets.size() > 1) r.band_set = std::string(sp.band_sets[s.band_set].name);
  }
  for (const flag f : {flag::suicidal_ideation}) {
    switch (s.flags.state(f)) {
      case flag_state::raised: r.flags.push_back(f); break;
      case flag_state::unknown:
        if (!r.unknown_flags) r.unknown_flags.emplace();
        r.unknown_flags->push_back(f);
        break;
      case flag_state::clear: break;
    }
  }
  if (!sp.subscales.empty()) {
    auto& m = r.subscales.emplace();
    for (std::size_t k = 0; k < sp.subscales.size(); ++k) m[std::string(sp.subscales[k].name)] = s.subscales[k];
  }
  r.provisional_dsm5 = s.provisional_dsm5;
  r.provisional_cutpoint = s.provisional_cutpoint;
  if (s.provisional_cutpoint) r.cutpoint = s.cutpoint;
  r.complete_mystical_experience = s.complete_mystical_experience;
  r.risk = s.risk;
  if (s.prorated) {
    r.prorated = true;
    auto& items = r.missing_items.emplace();
    for (int i = 0; i < 32; ++i) {
      if ((s.missing >> i) & 1u) items.push_back(i + 1);
    }
  }
  return r;
}

}  // namespace kap::measures
