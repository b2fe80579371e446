#pragma once

/// @file
/// `kap::measures::score_options`: the choices a caller may make when scoring.
///
/// Every option defaults to the published rule, so `score(id, items)` scores exactly as the
/// manual says; an option only selects between published alternatives (a band set, a PCL-5 cut
/// point within the total's range) or opts in to a published prorating rule.

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
  /// PCL-5 provisional-diagnosis cut point: a total at or above it is provisional PTSD. The
  /// default, 33, is the upper end of the 31-33 range NCPTSD's PCL-5 guidance gives; the same
  /// guidance says to choose a cut point by population and purpose (older PCL guidance used
  /// higher values), so any value within the total's range 0-80 is accepted; outside it is
  /// `errc::out_of_range`. Ignored by other instruments.
  int pcl5_cutpoint = 33;
  /// MADRS item 10 (suicidal thoughts) raises `suicidal_ideation` at this score or above. No
  /// published guidance fixes a flag threshold for this item, so it is configurable: the default,
  /// 2, is the first anchor that names suicidal thoughts ("weary of life, only fleeting suicidal
  /// thoughts"; 0-1 "enjoys life or takes it as it comes", as grouped in Perroud et al. 2009,
  /// BMC Med 7:60, Table 1). 1-6; anything else is `errc::out_of_range`. Ignored by other
  /// instruments.
  int madrs_suicide_item_min = 2;
  /// HAM-D17 item 3 (suicide) raises `suicidal_ideation` at this score or above. No published
  /// guidance fixes a flag threshold, so it is configurable: the default, 1 ("feels life is not
  /// worth living"), is any non-zero score, as suicidality was defined in Dold et al. 2018 (GSRD,
  /// Int J Neuropsychopharmacol; PMC6007240: HAM-D item 3 >= 1), and as for PHQ-9 item 9. 1-4; anything
  /// else is `errc::out_of_range`. Ignored by other instruments.
  int hamd17_suicide_item_min = 1;
  /// The band set to classify with, by name (e.g. "camcops" for HAM-D17); empty selects the
  /// instrument's default set. A name the instrument does not publish is `errc::unknown_enum`.
  /// The referenced characters must outlive the call.
  std::string_view band_set{};
};

}  // namespace kap::measures
