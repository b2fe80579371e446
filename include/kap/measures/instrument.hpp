#pragma once

/// @file
/// `kap::measures::instrument`: the printable description of one outcome instrument.
///
/// A descriptor is what `kapctl instruments --json` prints: the id, name, items and their
/// ranges, the published bands, flags and subscales, LOINC codes, licence status, and the
/// figures change analytics use by default (SD, test-retest reliability, MCID, clinical cut-off,
/// remission rules), each number paired with the source it comes from. Descriptors are built
/// from the same constexpr tables the scorer reads (kap/measures/detail/tables.hpp), so the
/// catalogue cannot disagree with the scoring. Every struct here is described for JSON.

#include <kap/measures/band.hpp>
#include <kap/measures/flag.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kap::measures {

/// Whether and how an instrument may be used. Never rename or renumber; only add.
enum class licence_status : unsigned char {
  free,                                 ///< no permission required to reproduce or use
  public_domain,                        ///< public domain or a US Government work
  free_for_clinicians_and_researchers,  ///< paper form free for clinical/research use; other uses licensed
  licence_required,                     ///< a licence is required (electronic use included)
  commercial,                           ///< commercial copyright; kap ships no item text
  unverified,                           ///< licence status not verified
};
BOOST_DESCRIBE_ENUM(licence_status, free, public_domain, free_for_clinicians_and_researchers, licence_required,
                    commercial, unverified)

/// One item: its number, accepted range and, where they exist, its LOINC code and answers.
struct item_spec {
  int number = 0;                                   ///< 1-based position in the item list
  std::optional<std::string> label;                 ///< a name where the form uses one (C-SSRS "Q6b")
  int min = 0;                                      ///< lowest scored integer answer
  int max = 0;                                      ///< highest scored integer answer
  std::optional<std::string> loinc;                 ///< the item's LOINC code, where verified
  std::optional<std::vector<std::string>> answers;  ///< accepted tokens when not plain integers
  std::optional<std::string> note;                  ///< a scoring rule specific to this item
  /// An answer accepted beside `min`-`max` that records "not assessed" and is not scored (adds
  /// 0 to the total): HAM-D17 item 16's 3 (CamCOPS hamd task). Absent for every other item.
  std::optional<int> not_assessed;

  friend bool operator==(const item_spec&, const item_spec&) = default;
};
BOOST_DESCRIBE_STRUCT(item_spec, (), (number, label, min, max, loinc, answers, note, not_assessed))

/// A flag raised by one item at or above a value, whatever the total.
struct flag_rule {
  flag name{};         ///< the flag
  int item = 0;        ///< the 1-based item that raises it
  int min = 0;         ///< the lowest answer that raises it
  std::string source;  ///< where the rule comes from

  friend bool operator==(const flag_rule&, const flag_rule&) = default;
};
BOOST_DESCRIBE_STRUCT(flag_rule, (), (name, item, min, source))

/// A subscale: the sum of the listed items.
struct subscale_spec {
  std::string name;        ///< key in `score_report::subscales`
  std::vector<int> items;  ///< 1-based item numbers
  int max = 0;             ///< the highest possible subscale sum

  friend bool operator==(const subscale_spec&, const subscale_spec&) = default;
};
BOOST_DESCRIBE_STRUCT(subscale_spec, (), (name, items, max))

/// A number with the source it comes from.
struct sourced_value {
  double value = 0.0;  ///< the figure
  std::string source;  ///< the citation, e.g. "Bischoff et al. 2020"

  friend bool operator==(const sourced_value&, const sourced_value&) = default;
};
BOOST_DESCRIBE_STRUCT(sourced_value, (), (value, source))

/// A named remission rule: a total at or below `max` is remission.
struct remission_rule {
  std::string name;    ///< the name a caller selects it by, e.g. "le10"
  int max = 0;         ///< highest total that counts as remission (inclusive)
  std::string source;  ///< where the threshold comes from

  friend bool operator==(const remission_rule&, const remission_rule&) = default;
};
BOOST_DESCRIBE_STRUCT(remission_rule, (), (name, max, source))

/// A published rule for scoring with unanswered items; applied only when asked for.
struct prorating_rule {
  int max_missing = 0;  ///< the most unanswered items the rule allows
  std::string source;   ///< the rule and where it comes from

  friend bool operator==(const prorating_rule&, const prorating_rule&) = default;
};
BOOST_DESCRIBE_STRUCT(prorating_rule, (), (max_missing, source))

/// The description of one instrument in the catalogue.
struct instrument {
  std::string id;              ///< catalogue id, e.g. "qids-sr16"
  std::string name;            ///< full name
  std::string administration;  ///< "self-report" or "clinician"
  int item_count = 0;          ///< number of item answers `score` expects
  std::vector<item_spec> items;                 ///< every item, in order
  std::optional<int> total_max;                 ///< highest total (EBI: highest mean); absent for C-SSRS
  std::string scoring;                          ///< the scoring rule in one sentence
  std::vector<band_set> band_sets;              ///< published band sets; the first is the default
  std::vector<flag_rule> flags;                 ///< item flags
  std::vector<subscale_spec> subscales;         ///< subscales or clusters
  std::map<std::string, std::string> loinc;     ///< verified LOINC codes by role ("panel", "total", ...)
  std::optional<std::string> loinc_source;      ///< where the LOINC codes were verified
  licence_status licence{};                     ///< licence status
  std::string licence_note;                     ///< the licence terms and their source
  std::optional<sourced_value> default_sd;      ///< default SD for the reliable change index
  std::optional<sourced_value> test_retest_reliability;  ///< default reliability for the RCI
  std::optional<sourced_value> mcid;            ///< minimal clinically important reduction (points)
  std::optional<sourced_value> clinical_cutoff; ///< functional range is total < cutoff
  std::optional<int> response_percent;          ///< default response threshold (% reduction)
  std::vector<remission_rule> remission_rules;  ///< published remission rules; the first is the default
  std::optional<prorating_rule> prorating;      ///< published prorating rule, if any
  std::string sources;                          ///< the sources of the items and scoring

  friend bool operator==(const instrument&, const instrument&) = default;
};
BOOST_DESCRIBE_STRUCT(instrument, (),
                      (id, name, administration, item_count, items, total_max, scoring, band_sets, flags, subscales,
                       loinc, loinc_source, licence, licence_note, default_sd, test_retest_reliability, mcid,
                       clinical_cutoff, response_percent, remission_rules, prorating, sources))

}  // namespace kap::measures
