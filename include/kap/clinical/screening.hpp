#pragma once

/// @file
/// Screening: the contraindications a protocol asks about, in two tiers, and the outcome.
///
/// An absolute contraindication that is present excludes the subject. A relative one needs a
/// recorded override with a justification by an authorised role before dosing. The outcome is
/// eligible, needs_review (relative contraindications not yet overridden) or excluded, with the
/// reasons by name.

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <string>
#include <vector>

namespace kap {

/// The oldest age, in years, kap takes as plausible: a screening age above it is refused
/// (`session::apply`), and age bands of hold limits must start at or below it (`validate`).
inline constexpr int max_plausible_age = 130;
/// The heaviest body weight, in kilograms, kap takes as plausible: a screening weight above it
/// (or at or below 0) is refused (`session::apply`).
inline constexpr double max_plausible_weight_kg = 500;

/// How a present contraindication counts.
enum class tier { absolute, relative };
BOOST_DESCRIBE_ENUM(tier, absolute, relative)

/// One question a protocol's screening asks (answered yes/no in the screening event).
struct contraindication {
  std::string name;    ///< e.g. "aneurysmal_vascular_disease" (the answer key)
  kap::tier tier{};    ///< absolute excludes; relative needs an override
  std::string source;  ///< where the rule comes from, e.g. "Spravato label section 4"

  friend bool operator==(const contraindication&, const contraindication&) = default;
};
BOOST_DESCRIBE_STRUCT(contraindication, (), (name, tier, source))

/// The outcome of screening.
enum class screening_status { not_screened, eligible, needs_review, excluded };
BOOST_DESCRIBE_ENUM(screening_status, not_screened, eligible, needs_review, excluded)

/// Screening outcome with its reasons.
struct screening_outcome {
  screening_status status = screening_status::not_screened;  ///< eligible, needs clinician review, or excluded
  std::vector<std::string> absolute_present;    ///< absolute contraindications answered yes
  std::vector<std::string> relative_pending;    ///< relative ones answered yes and not overridden
  std::vector<std::string> relative_overridden;  ///< relative ones answered yes and overridden

  friend bool operator==(const screening_outcome&, const screening_outcome&) = default;
};
BOOST_DESCRIBE_STRUCT(screening_outcome, (), (status, absolute_present, relative_pending, relative_overridden))

}  // namespace kap
