#pragma once

/// @file
/// `kap::measures::score_options`: the choices a caller may make when scoring.
///
/// Every option defaults to the published rule, so `score(id, items)` scores exactly as the
/// manual says; an option only selects between published alternatives (a band set, a PCL-5 cut
/// point in the published 31-33 range) or opts in to a published prorating rule.

#include <string_view>

namespace kap::measures {

/// The value of an unanswered item in the integer API (`-` in the token API). For the C-SSRS
/// screener it means "not asked" under the skip logic. Any other negative number is out of range.
inline constexpr int not_answered = -1;

/// Options for `score` and `score_tokens`. The defaults are the published rules.
struct score_options {
  /// Apply the instrument's published prorating rule to unanswered items (PHQ-9 only: at most 2
  /// missing, total = sum x 9 / answered rounded half up). Without it, any unanswered item is
  /// `errc::missing_item`. Instruments without a rule reject unanswered items either way.
  bool prorate = false;
  /// PCL-5 provisional-diagnosis cut point: a total at or above it is provisional PTSD. Only
  /// 31, 32 and 33 are published; anything else is `errc::out_of_range`. Ignored by other
  /// instruments.
  int pcl5_cutpoint = 33;
  /// The band set to classify with, by name (e.g. "camcops" for HAM-D17); empty selects the
  /// instrument's default set. A name the instrument does not publish is `errc::unknown_enum`.
  /// The referenced characters must outlive the call.
  std::string_view band_set{};
};

}  // namespace kap::measures
