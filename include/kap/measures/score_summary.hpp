#pragma once

/// @file
/// `kap::measures::score_summary`: the fixed-size result of the integer scoring fast path.
///
/// It holds everything any instrument's rules produce (a total, a band, tri-state flags, up to
/// four subscales, the PCL-5 and MEQ30 decisions, the C-SSRS risk) in about 32 bytes with no
/// heap storage, so that scoring a million records allocates nothing. Which fields are
/// meaningful depends on the instrument; `make_report` (score_report.hpp) turns a summary into
/// the printable, described `score_report` that shows only those.

#include <kap/measures/band.hpp>
#include <kap/measures/flag.hpp>
#include <kap/measures/instrument_id.hpp>
#include <kap/measures/risk.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace kap::measures {

/// The scored values of one record. Fields an instrument does not produce keep their defaults.
struct score_summary {
  instrument_id instrument{};  ///< which instrument scored it
  /// The total by the instrument's rule: the sum (PHQ-9, GAD-7, PCL-5, MADRS, BDI-II, CADSS,
  /// MEQ30), the sum of 9 domains (QIDS-SR16), the sum with item 16 = 3 scoring 0 (HAM-D17),
  /// the prorated total when prorating applied, the item sum for the EBI (whose score is the
  /// mean, `total / 6.0`), and 0 for the C-SSRS screener, which has no total.
  int total = 0;
  std::optional<severity_band> band;  ///< the band of `total`, for banded instruments
  std::uint8_t band_set = 0;          ///< index of the band set used (0 = the default)
  flag_set flags;                     ///< item flags (suicidal_ideation), tri-state
  /// Subscale sums in catalogue order: PCL-5 clusters B, C, D, E; MEQ30 mystical,
  /// positive_mood, transcendence, ineffability. Zero for other instruments.
  std::array<std::int16_t, 4> subscales{};
  std::optional<bool> provisional_dsm5;              ///< PCL-5: the DSM-5 symptom rule holds
  std::optional<bool> provisional_cutpoint;          ///< PCL-5: total >= `cutpoint`
  std::uint8_t cutpoint = 0;                         ///< PCL-5: the cut point used
  std::optional<bool> complete_mystical_experience;  ///< MEQ30: every subscale >= 60% of its maximum
  std::optional<risk_level> risk;                    ///< C-SSRS screener: the triage level
  std::uint32_t missing = 0;  ///< bit i set: item i+1 was not answered (prorated records only)
  bool prorated = false;      ///< the total was prorated from the answered items

  friend constexpr bool operator==(const score_summary&, const score_summary&) = default;
};

}  // namespace kap::measures
