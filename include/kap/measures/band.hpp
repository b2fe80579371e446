#pragma once

/// @file
/// Severity bands: the named score ranges an instrument's manual publishes.
///
/// One enum holds every band name used by any instrument in the catalogue, so a band travels in
/// JSON as its published name (`moderately_severe`, `very_severe`) whatever the instrument. An
/// instrument may publish more than one band set (HAM-D17: Zimmerman 2013 and the CamCOPS set);
/// each set has a name by which a caller selects it, and the first set is the default.

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kap::measures {

/// A published severity band name. Never rename or renumber; only add.
enum class severity_band : unsigned char {
  none,               ///< no symptoms to speak of (QIDS-SR16, HAM-D17)
  minimal,            ///< PHQ-9, GAD-7, BDI-II
  normal,             ///< MADRS "normal/absent"
  mild,               ///< every banded instrument
  moderate,           ///< every banded instrument
  moderately_severe,  ///< PHQ-9 15-19
  severe,             ///< every banded instrument
  very_severe,        ///< QIDS-SR16 21-27, HAM-D17 CamCOPS set >= 23
};
BOOST_DESCRIBE_ENUM(severity_band, none, minimal, normal, mild, moderate, moderately_severe, severe, very_severe)

/// One band: totals from `min` to `max` inclusive carry the name `band`.
struct band_range {
  severity_band band{};  ///< the band name
  int min = 0;           ///< lowest total in the band (inclusive)
  int max = 0;           ///< highest total in the band (inclusive)

  friend constexpr bool operator==(const band_range&, const band_range&) = default;
};
BOOST_DESCRIBE_STRUCT(band_range, (), (band, min, max))

/// A named, sourced set of bands that together cover the instrument's total range.
struct band_set {
  std::string name;               ///< the name a caller selects it by, e.g. "zimmerman2013"
  std::string source;             ///< where the cut points come from, e.g. "Kroenke 2001"
  std::vector<band_range> bands;  ///< ascending, contiguous, covering the total range

  friend bool operator==(const band_set&, const band_set&) = default;
};
BOOST_DESCRIBE_STRUCT(band_set, (), (name, source, bands))

/// Finds the band a total falls in.
/// @param bands ascending, contiguous bands
/// @param total the total to classify
/// @return the band containing `total`, or nothing when no band does (an empty set, or a total
///         outside the covered range)
/// Complexity: linear in the number of bands (at most 5 in the catalogue).
[[nodiscard]] constexpr std::optional<severity_band> classify(std::span<const band_range> bands, int total) noexcept {
  for (const band_range& b : bands) {
    if (total >= b.min && total <= b.max) return b.band;
  }
  return std::nullopt;
}

}  // namespace kap::measures
