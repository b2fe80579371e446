#pragma once

/// @file
/// `kap::measures::risk_level`: the C-SSRS screener's triage category.

#include <boost/describe/enum.hpp>

namespace kap::measures {

/// C-SSRS screener triage level, by the item rule (rula.com; Columbia triage guideline):
/// high = yes to Q4 or Q5, or Q6 yes within the past 3 months (Q6b yes);
/// moderate = yes to Q3, or Q6 yes but more than 3 months ago (Q6b no);
/// low = yes to Q1 and/or Q2 only; none = no to everything. Never rename or renumber.
enum class risk_level : unsigned char {
  none,      ///< no yes answers
  low,       ///< wish to be dead or non-specific active thoughts only
  moderate,  ///< thoughts with a method, or past (> 3 months) suicidal behaviour
  high,      ///< intent, a plan with intent, or suicidal behaviour within 3 months
};
BOOST_DESCRIBE_ENUM(risk_level, none, low, moderate, high)

}  // namespace kap::measures
