#pragma once

/// @file
/// The catalogue: the 11 instruments kap scores, as printable descriptors.
///
/// Numbers (ranges, cut points, thresholds, subscale items) come from the constexpr tables in
/// kap/measures/detail/tables.hpp that the scorer also uses; this header adds the names, LOINC
/// codes, licence terms and per-item notes. Building a descriptor allocates, so the scoring fast
/// path never calls into this header. There is no global registry: each call builds its values.

#include <kap/core/result.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/instrument.hpp>
#include <kap/measures/instrument_id.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap::measures {

namespace detail {

/// Names, licence and LOINC text for one instrument (the numbers live in `spec`).
struct catalog_text {
  std::string_view name;
  std::string_view administration;
  std::string_view scoring;
  licence_status licence;
  std::string_view licence_note;
  std::string_view sources;
};

[[nodiscard]] constexpr catalog_text text_of(instrument_id id) noexcept {
  switch (id) {
    case instrument_id::phq9:
      return {"Patient Health Questionnaire-9", "self-report",
              "sum of items 1-9 (0-27); the unscored difficulty item is not taken", licence_status::free,
              "no permission required to reproduce, translate, display or distribute (phqscreeners.com, quoted in "
              "CamCOPS phq9 docs); forms carry a Pfizer copyright notice",
              "Kroenke 2001; Kroenke et al. 2010 review; Lowe et al. 2004"};
    case instrument_id::gad7:
      return {"Generalized Anxiety Disorder 7-item scale", "self-report", "sum of items 1-7 (0-21)",
              licence_status::free, "no permission required (phqscreeners.com statement)",
              "Spitzer 2006; Bischoff et al. 2020; Kounali et al. 2020"};
    case instrument_id::qids_sr16:
      return {"Quick Inventory of Depressive Symptomatology, Self-Report (16 items)", "self-report",
              "sum of 9 domains (0-27): sleep = max(items 1-4), item 5, appetite/weight = max(items 6-9), items "
              "10-14, psychomotor = max(items 15-16)",
              licence_status::free_for_clinicians_and_researchers,
              "paper versions free to clinicians and researchers without permission; automated IVR versions "
              "licensed exclusively to Healthcare Technology Systems (ids-qids.org); commercial electronic use "
              "unverified",
              "Rush 2003; Inquisit manual formula; ids-qids.org; Trivedi 2006 (STAR*D)"};
    case instrument_id::pcl5:
      return {"PTSD Checklist for DSM-5", "self-report",
              "sum of items 1-20 (0-80); clusters B 1-5, C 6-7, D 8-14, E 15-20; provisional PTSD by the DSM-5 "
              "rule (item >= 2 endorsed; >= 1 B, >= 1 C, >= 2 D, >= 2 E) and, separately, by cut point (31-33, "
              "default 33)",
              licence_status::public_domain, "US Government work (CamCOPS pcl5 docs; mhscales.com)",
              "NCPTSD PCL-5 guidance; comorbidityguidelines.org.au; Marx/Lee et al."};
    case instrument_id::madrs:
      return {"Montgomery-Asberg Depression Rating Scale", "clinician", "sum of items 1-10 (0-60), no weights",
              licence_status::licence_required, "licence required (German Psychiatric Data Set licensing table)",
              "Snaith 1986; TRANSFORM trials (PMC7894501); McDowell"};
    case instrument_id::hamd17:
      return {"Hamilton Depression Rating Scale, 17 items", "clinician",
              "sum of items 1-17 (0-52); item 16 = 3 (not assessed) scores 0", licence_status::public_domain,
              "public domain (NINDS Common Data Elements, quoted in CamCOPS hamd docs)",
              "CamCOPS hamd.py; Zimmerman et al. 2013; PMC4387983"};
    case instrument_id::bdi2:
      return {"Beck Depression Inventory-II", "self-report",
              "sum of items 1-21 (0-63); items 16 and 18 answer 0, 1a, 1b, 2a, 2b, 3a or 3b and score the digit",
              licence_status::commercial, "Pearson copyright, commercial; kap ships no item text (CamCOPS bdi docs)",
              "Beck 1996 manual; Kounali et al. 2020; Reeves 2012"};
    case instrument_id::cadss:
      return {"Clinician-Administered Dissociative States Scale (23 subjective items)", "clinician",
              "sum of the 23 subjective items (0-92); dissociation during the acute phase",
              licence_status::unverified, "licence status not verified (Bremner)",
              "Bremner 1998; Mathai et al. 2020"};
    case instrument_id::cssrs_screen:
      return {"Columbia-Suicide Severity Rating Scale, Screener", "clinician",
              "yes/no answers Q1-Q6 and Q6b with skip logic (Q3-Q5 only when Q2 is yes; Q6b only when Q6 is yes); "
              "risk high = Q4 or Q5 yes or Q6b yes; moderate = Q3 yes or Q6 yes with Q6b no; low = Q1 or Q2 yes; "
              "no total",
              licence_status::licence_required,
              "copyright Research Foundation for Mental Hygiene; electronic implementations require a sublicence, "
              "certification and per-administration fees via Clario (clario.com)",
              "rula.com; Columbia triage guideline; HL7 US Behavioral Health Profiles IG"};
    case instrument_id::ebi:
      return {"Emotional Breakthrough Inventory", "self-report",
              "mean of 6 items (0-100) - kap's documented choice; the sum (0-600) is reported too",
              licence_status::unverified, "licence status not verified", "Roseman et al. 2019"};
    case instrument_id::meq30:
      return {"Revised Mystical Experience Questionnaire (30 items)", "self-report",
              "sum of items 1-30 (0-150); subscales mystical (15 items), positive_mood (6), transcendence (6), "
              "ineffability (3); complete mystical experience when every subscale is >= 60% of its maximum. The "
              "item-to-subscale mapping is UNVERIFIED (recalled from Barrett et al. 2015)",
              licence_status::unverified, "licence status not verified; a stand-alone version is published for research",
              "MacLean 2012; Barrett, Johnson & Griffiths 2015"};
  }
  return {};
}

inline constexpr std::array<std::string_view, 9> phq9_item_loinc{"44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
                                                                 "44258-2", "44252-5", "44253-3", "44260-8"};
inline constexpr std::array<std::string_view, 7> cssrs_item_loinc{"93246-7", "93247-5", "93248-3", "93249-1",
                                                                  "93250-9", "93267-3", "93269-9"};
inline constexpr std::array<std::string_view, 7> cssrs_labels{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q6b"};

[[nodiscard]] inline std::optional<sourced_value> to_sourced(const sourced_row& r) {
  if (!r.present()) return std::nullopt;
  return sourced_value{r.value, std::string(r.source)};
}

}  // namespace detail

/// The full description of one instrument.
/// @param id the instrument
/// @return its descriptor; cannot fail. An `id` outside the catalogue (an integer cast to
///         `instrument_id`) gives a descriptor with `id` "unknown", `licence` unverified and
///         every other field empty or zero, never another instrument's data; use
///         `find_instrument` to get an error. Allocates.
[[nodiscard]] inline instrument describe_instrument(instrument_id id) {
  instrument d;
  d.id = std::string(to_string(id));
  const detail::spec* const found = detail::find_spec(id);
  if (found == nullptr) {
    d.licence = licence_status::unverified;
    return d;
  }
  const detail::spec& s = *found;
  const detail::catalog_text t = detail::text_of(id);
  d.name = std::string(t.name);
  d.administration = std::string(t.administration);
  d.item_count = s.item_count;
  d.items.reserve(static_cast<std::size_t>(s.item_count));
  for (int i = 0; i < s.item_count; ++i) {
    item_spec it;
    it.number = i + 1;
    it.max = s.item_max[static_cast<std::size_t>(i)];
    d.items.push_back(std::move(it));
  }
  if (s.has_total) d.total_max = s.total_max;
  d.scoring = std::string(t.scoring);
  for (const detail::band_set_row& b : s.band_sets) {
    d.band_sets.push_back(band_set{std::string(b.name), std::string(b.source), {b.bands.begin(), b.bands.end()}});
  }
  for (const detail::subscale_row& sub : s.subscales) {
    d.subscales.push_back(subscale_spec{std::string(sub.name), {sub.items.begin(), sub.items.end()}, sub.max});
  }
  d.licence = t.licence;
  d.licence_note = std::string(t.licence_note);
  d.default_sd = detail::to_sourced(s.sd);
  d.test_retest_reliability = detail::to_sourced(s.reliability);
  d.mcid = detail::to_sourced(s.mcid);
  if (s.symptom_scale) {
    d.response_percent = 50;
    if (s.cutoff.present()) {
      d.clinical_cutoff = detail::to_sourced(s.cutoff);
    } else if (!s.remission.empty()) {
      d.clinical_cutoff = sourced_value{static_cast<double>(s.remission.front().max + 1),
                                        "the default remission threshold (kap choice: no published cut-off)"};
    }
  }
  for (const detail::remission_row& r : s.remission) {
    d.remission_rules.push_back(remission_rule{std::string(r.name), r.max, std::string(r.source)});
  }
  if (s.prorate_max_missing >= 0) {
    d.prorating = prorating_rule{s.prorate_max_missing, std::string(s.prorate_source)};
  }
  d.sources = std::string(t.sources);

  // Instrument-specific items, flags and LOINC codes.
  const std::string item_flag_source = "common practice: flag any answer >= 1 whatever the total (docs/instruments.md)";
  switch (id) {
    case instrument_id::phq9:
      for (std::size_t i = 0; i < 9; ++i) d.items[i].loinc = std::string(detail::phq9_item_loinc[i]);
      d.loinc = {{"panel", "44249-1"}, {"total", "44261-6"}, {"difficulty", "69722-7"}};
      d.loinc_source = "HL7 US Core examples; HL7 PHR IG; HL7 US Behavioral Health Profiles IG";
      d.flags.push_back(flag_rule{flag::suicidal_ideation, 9, 1, item_flag_source});
      break;
    case instrument_id::gad7:
      d.loinc = {{"total", "70274-6"}};
      d.loinc_source = "HL7 PHR IG; MII PRO IG (panel 69737-5 is widely used but unverified)";
      break;
    case instrument_id::qids_sr16:
      for (std::size_t i = 5; i < 9; ++i) {
        d.items[i].note = "the form asks for one of items 6/7 and one of items 8/9; the other may be '-'";
      }
      d.flags.push_back(flag_rule{flag::suicidal_ideation, 12, 1, "item 12 is the suicidal-ideation item, analogous to PHQ-9 item 9"});
      break;
    case instrument_id::hamd17:
      d.flags.push_back(flag_rule{flag::suicidal_ideation, 3, 1,
                                  "item 3 is suicide; no published flag threshold: default 1 (any non-zero score, "
                                  "as Dold et al. 2018, PMC6007240), configurable (score_options)"});
      // Item 16 (weight loss) is scored 0-2; 3 records "not assessed" and is not scored, so the
      // scored range and the not-assessed code are told apart (CamCOPS hamd task;
      // docs/instruments.md, HAM-D17). score() accepts 3 and adds 0 for it.
      d.items[15].max = 2;
      d.items[15].not_assessed = 3;
      d.items[15].note = "3 = not assessed, scores 0";
      break;
    case instrument_id::madrs:
      d.flags.push_back(flag_rule{flag::suicidal_ideation, 10, 2,
                                  "item 10 is suicidal thoughts; no published flag threshold: default 2, the first "
                                  "anchor naming suicidal thoughts (Perroud et al. 2009, BMC Med 7:60, Table 1), "
                                  "configurable (score_options)"});
      break;
    case instrument_id::bdi2:
      for (const std::size_t i : {std::size_t{15}, std::size_t{17}}) {
        d.items[i].answers = std::vector<std::string>{"0", "1a", "1b", "2a", "2b", "3a", "3b"};
        d.items[i].note = "a/b record the direction (increase/decrease); the digit is scored";
      }
      d.flags.push_back(flag_rule{flag::suicidal_ideation, 9, 1, "item 9 is suicidal thoughts or wishes (CamCOPS bdi docs)"});
      break;
    case instrument_id::cssrs_screen:
      for (std::size_t i = 0; i < 7; ++i) {
        d.items[i].label = std::string(detail::cssrs_labels[i]);
        d.items[i].loinc = std::string(detail::cssrs_item_loinc[i]);
        d.items[i].answers = std::vector<std::string>{"y", "n", "-"};
      }
      for (std::size_t i = 2; i < 5; ++i) d.items[i].note = "asked only when Q2 is yes; otherwise '-'";
      d.items[6].note = "within the past 3 months; asked only when Q6 is yes; otherwise '-'";
      d.loinc = {{"risk_level", "93374-7"}};
      d.loinc_source = "HL7 US Behavioral Health Profiles IG (panel 93373-9 unverified)";
      break;
    default: break;
  }
  return d;
}

/// The whole catalogue, in `all_instruments` order (what `kapctl instruments` prints).
/// @return one descriptor per instrument; cannot fail. Allocates.
[[nodiscard]] inline std::vector<instrument> catalog() {
  std::vector<instrument> out;
  out.reserve(all_instruments.size());
  for (const instrument_id id : all_instruments) out.push_back(describe_instrument(id));
  return out;
}

/// Looks up one instrument by catalogue id.
/// @param id the catalogue id, e.g. "gad7"
/// @return its descriptor, or `errc::unknown_instrument` naming the id and listing the known ones
[[nodiscard]] inline result<instrument> find_instrument(std::string_view id) {
  auto parsed = parse_instrument_id(id);
  if (!parsed) return std::move(parsed).error();
  return describe_instrument(*parsed);
}

}  // namespace kap::measures
