#pragma once

/// @file
/// Change from baseline to a current score: the figures outcome studies report.
///
/// `compute_change` takes two totals of one instrument and returns, in one described
/// `change_report`: the absolute and percent change, response (>= 50% reduction by default),
/// remission by the instrument's published rule, the minimal clinically important difference
/// where one is published, and the Jacobson & Truax (1991) reliable change index with the
/// clinically significant cut-off and the resulting category (recovered / improved / unchanged /
/// deteriorated). The RCI needs an SD and a test-retest reliability; the catalogue ships defaults
/// only where a published source gives them (docs/instruments.md), and callers may override both. When either is
/// unknown, the RCI keys and `category` are absent rather than guessed.
///
/// Response, remission, cut-off and category apply to symptom scales only (PHQ-9, GAD-7,
/// QIDS-SR16, PCL-5, MADRS, HAM-D17, BDI-II), where lower is better. CADSS and MEQ30 get the
/// change and, with an SD and reliability, the RCI. The C-SSRS screener and the EBI have no
/// integer total to compare.

#include <kap/core/result.hpp>
#include <kap/measures/detail/change_rules.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/instrument_id.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace kap::measures {

/// Options for `compute_change`. The defaults are the published rules.
struct change_options {
  int response_percent = 50;         ///< response = reduction of at least this % (1-100)
  std::string_view remission_rule{}; ///< a published rule by name (e.g. "le10" for MADRS); empty = default
  std::optional<int> remission_max;  ///< an explicit remission threshold (total <= it); wins over the name
  std::optional<double> sd;          ///< SD for the RCI, overriding the catalogue default (> 0)
  std::optional<double> reliability; ///< test-retest reliability for the RCI, overriding the default (0 <= r < 1)
  std::optional<double> cutoff;      ///< clinical cut-off overriding the default: functional when total < cutoff
};

/// The Jacobson & Truax category of a change. Never rename or renumber; only add.
enum class change_category : unsigned char {
  recovered,     ///< reliable improvement that also crosses the cut-off into the functional range
  improved,      ///< reliable improvement that does not cross the cut-off
  unchanged,     ///< no reliable change (|RCI| <= 1.96)
  deteriorated,  ///< reliable worsening
};
BOOST_DESCRIBE_ENUM(change_category, recovered, improved, unchanged, deteriorated)

/// Baseline -> current change of one instrument, as kapctl prints it. Absent optionals are
/// figures that do not apply to the instrument or whose inputs are unknown.
struct change_report {
  std::string instrument;                  ///< catalogue id
  int baseline = 0;                        ///< baseline total
  int current = 0;                         ///< current total
  int change = 0;                          ///< current - baseline (negative = improvement)
  std::optional<double> percent_change;    ///< 100 * change / baseline; absent when baseline is 0
  std::optional<bool> response;            ///< reduction >= response_percent (symptom scales)
  std::optional<int> response_percent;     ///< the response threshold used
  std::optional<bool> remission;           ///< current <= remission_max
  std::optional<std::string> remission_rule;  ///< the rule used ("custom" for an explicit threshold)
  std::optional<int> remission_max;        ///< the remission threshold used
  std::optional<double> mcid;              ///< the published MCID (points of reduction)
  std::optional<bool> mcid_met;            ///< baseline - current >= mcid
  std::optional<double> sd;                ///< SD used for the RCI
  std::optional<double> reliability;       ///< reliability used for the RCI
  std::optional<double> sdiff;             ///< standard error of the difference: sqrt(2) * SD * sqrt(1 - r)
  std::optional<double> rci;               ///< change / sdiff (negative = improvement)
  std::optional<bool> reliable;            ///< |rci| > 1.96
  std::optional<double> reliable_change_min;  ///< smallest reliable change in points: 1.96 * sdiff
  std::optional<double> cutoff;            ///< clinical cut-off used (functional when total < cutoff)
  std::optional<bool> clinically_significant;  ///< baseline >= cutoff and current < cutoff
  std::optional<change_category> category;     ///< Jacobson & Truax category (needs the RCI)

  friend bool operator==(const change_report&, const change_report&) = default;
};
BOOST_DESCRIBE_STRUCT(change_report, (),
                      (instrument, baseline, current, change, percent_change, response, response_percent, remission,
                       remission_rule, remission_max, mcid, mcid_met, sd, reliability, sdiff, rci, reliable,
                       reliable_change_min, cutoff, clinically_significant, category))

/// Computes baseline -> current change.
///
/// Reliable change (Jacobson & Truax 1991; psyctc.org): SE = SD * sqrt(1 - r),
/// S_diff = sqrt(2) * SE, RCI = (current - baseline) / S_diff, reliable when |RCI| > 1.96.
/// Category: deteriorated when reliable and worse; recovered when reliable, better, and the
/// total moved from >= cutoff to < cutoff; improved when reliable and better otherwise;
/// unchanged when not reliable.
/// @param id the instrument
/// @param baseline the baseline total (0 to the instrument's maximum)
/// @param current the current total (0 to the instrument's maximum)
/// @param options thresholds and overrides
/// @return the report, or
///   - `errc::unknown_instrument`: `id` is not in the catalogue (an integer cast to
///     `instrument_id`: `unknown instrument id 42 (known: ...)`), or the instrument has no
///     integer total (C-SSRS screener, EBI)
///   - `errc::out_of_range`: a total outside the instrument's range, a response threshold outside
///     1-100, an SD that is not finite and > 0, a reliability outside [0, 1), a non-finite
///     cut-off, a remission threshold outside the total range, or an SD so small or so large
///     that S_diff, the RCI or the smallest reliable change is not a finite number (S_diff must
///     also be > 0)
///   - `errc::unknown_enum`: a remission rule the instrument does not publish
[[nodiscard]] inline result<change_report> compute_change(instrument_id id, int baseline, int current,
                                                          const change_options& options = {}) {
  const detail::spec* const sp = detail::find_spec(id);
  if (sp == nullptr) return detail::unknown_instrument_error(id);
  const detail::spec& s = *sp;
  if (auto e = detail::check_change_defined(s)) return std::move(*e);
  if (auto e = detail::check_total(s, "baseline", baseline)) return std::move(*e);
  if (auto e = detail::check_total(s, "current", current)) return std::move(*e);
  if (auto e = detail::check_response_percent(options.response_percent)) return std::move(*e);
  if (options.sd && !(std::isfinite(*options.sd) && *options.sd > 0.0)) {
    return error{errc::out_of_range, "sd " + detail::format_number(*options.sd) + " must be finite and greater than 0"};
  }
  if (options.reliability && !(*options.reliability >= 0.0 && *options.reliability < 1.0)) {
    return error{errc::out_of_range,
                 "reliability " + detail::format_number(*options.reliability) + " is outside [0, 1)"};
  }
  if (options.cutoff && !std::isfinite(*options.cutoff)) {
    return error{errc::out_of_range, "cutoff " + detail::format_number(*options.cutoff) + " is not finite"};
  }
  auto remission = detail::resolve_remission(s, options.remission_rule, options.remission_max);
  if (!remission) return std::move(remission).error();

  change_report r;
  r.instrument = std::string(to_string(id));
  r.baseline = baseline;
  r.current = current;
  r.change = current - baseline;
  if (baseline != 0) r.percent_change = 100.0 * static_cast<double>(r.change) / static_cast<double>(baseline);

  if (s.symptom_scale) {
    r.response_percent = options.response_percent;
    r.response = detail::is_response(baseline, current, options.response_percent);
    if (*remission) {
      r.remission = current <= (*remission)->max;
      r.remission_rule = std::string((*remission)->name);
      r.remission_max = (*remission)->max;
    }
    if (s.mcid.present()) {
      r.mcid = s.mcid.value;
      r.mcid_met = static_cast<double>(baseline - current) >= s.mcid.value;
    }
    if (options.cutoff) {
      r.cutoff = *options.cutoff;
    } else if (s.cutoff.present()) {
      r.cutoff = s.cutoff.value;
    } else if (*remission) {
      r.cutoff = static_cast<double>((*remission)->max + 1);
    }
    if (r.cutoff) {
      r.clinically_significant = static_cast<double>(baseline) >= *r.cutoff && static_cast<double>(current) < *r.cutoff;
    }
  }

  const std::optional<double> sd = options.sd ? options.sd : s.sd.present() ? std::optional<double>{s.sd.value}
                                                                           : std::nullopt;
  const std::optional<double> rel = options.reliability ? options.reliability
                                    : s.reliability.present() ? std::optional<double>{s.reliability.value}
                                                              : std::nullopt;
  if (sd && rel) {
    const double se = *sd * std::sqrt(1.0 - *rel);
    const double sdiff = std::sqrt(2.0) * se;
    const double rci = static_cast<double>(r.change) / sdiff;
    const double reliable_change_min = 1.96 * sdiff;
    // A finite SD can still be too small (S_diff underflows, RCI overflows) or too large
    // (1.96 * S_diff overflows) to give a number: refuse it rather than print null.
    if (auto e = detail::check_reliable_change(*sd, *rel, sdiff, rci, reliable_change_min)) return std::move(*e);
    r.sd = *sd;
    r.reliability = *rel;
    r.sdiff = sdiff;
    r.rci = rci;
    r.reliable = std::fabs(rci) > 1.96;
    r.reliable_change_min = reliable_change_min;
    if (s.symptom_scale) {
      if (!*r.reliable) {
        r.category = change_category::unchanged;
      } else if (rci > 0.0) {
        r.category = change_category::deteriorated;
      } else {
        r.category = r.clinically_significant.value_or(false) ? change_category::recovered : change_category::improved;
      }
    }
  }
  return r;
}

/// Computes change for an instrument named by its catalogue id (what `kapctl change` calls).
/// @param instrument the catalogue id, e.g. "madrs"
/// @param baseline the baseline total
/// @param current the current total
/// @param options thresholds and overrides
/// @return as the overload taking an `instrument_id`, or `errc::unknown_instrument` for an unknown id
[[nodiscard]] inline result<change_report> compute_change(std::string_view instrument, int baseline, int current,
                                                          const change_options& options = {}) {
  auto id = parse_instrument_id(instrument);
  if (!id) return std::move(id).error();
  return compute_change(*id, baseline, current, options);
}

}  // namespace kap::measures
