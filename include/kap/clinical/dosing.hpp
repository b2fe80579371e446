#pragma once

/// @file
/// Drugs, routes, and the per-route limits a protocol sets on doses.
///
/// A limit names a route and the drug allowed on it, and bounds a dose by weight (mg/kg), by
/// absolute amount (mg), per session (cumulative mg, number of doses), in time (minimum interval
/// between doses) and by device step (intranasal esketamine moves in 28 mg devices). Every bound
/// is optional except the route and drug; `validate()` requires at least one amount bound.

#include <kap/core/quantities.hpp>
#include <kap/core/time.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>

namespace kap {

/// The drug given.
enum class drug { ketamine, esketamine };
BOOST_DESCRIBE_ENUM(drug, ketamine, esketamine)

/// The route of administration.
enum class route { iv, im, sublingual, intranasal, oral };
BOOST_DESCRIBE_ENUM(route, iv, im, sublingual, intranasal, oral)

/// A protocol's bounds on doses by one route.
struct dose_limit {
  kap::route route{};                         ///< the route these bounds apply to
  kap::drug drug{};                           ///< the only drug allowed on this route
  std::optional<mg_per_kg> max_mg_per_kg;     ///< per dose, by body weight (needs a screening weight)
  std::optional<milligrams> max_mg;           ///< per dose, absolute
  std::optional<milligrams> min_mg;           ///< per dose, the smallest accepted (e.g. a label's starting dose)
  std::optional<milligrams> max_cumulative_mg;  ///< all doses of the session together
  int max_doses = 1;                          ///< doses per session
  minutes min_interval{0};                    ///< between two doses
  std::optional<milligrams> step_mg;          ///< each dose must be a whole multiple of this (device size)

  friend bool operator==(const dose_limit&, const dose_limit&) = default;
};
BOOST_DESCRIBE_STRUCT(dose_limit, (),
                      (route, drug, max_mg_per_kg, max_mg, min_mg, max_cumulative_mg, max_doses, min_interval, step_mg))

}  // namespace kap
