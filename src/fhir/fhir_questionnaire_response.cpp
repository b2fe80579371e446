// FHIR R4 export: a measure's QuestionnaireResponse (the answers, as tokens) and, for an
// instrument with a total, the total-score Observation derived from it.
#include "fhir_private.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/score.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap::fhir::detail {

namespace {

/// The LOINC code of an instrument's total, where kap's catalogue has a sourced one.
std::optional<std::string> total_loinc(std::string_view instrument) {
  auto parsed = measures::parse_instrument_id(instrument);
  if (!parsed) return std::nullopt;
  const auto d = measures::describe_instrument(*parsed);
  const auto it = d.loinc.find("total");
  if (it == d.loinc.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void exporter::add(const event& e, const std::string& key, const events::measure& m, std::optional<std::string>&) {
  const bool known = is_token(m.instrument);
  const std::string instrument = token_or_unspecified(m.instrument);
  const std::string qr_uuid = name_uuid("QuestionnaireResponse|" + key);
  object qr = base("QuestionnaireResponse", qr_uuid, key, {}, {}, /*single_identifier=*/true);
  if (known) qr["questionnaire"] = str(kap_questionnaire) + instrument;
  qr["status"] = "completed";
  qr["subject"] = urn_ref(patient_uuid_);
  qr["encounter"] = urn_ref(encounter_uuid_);
  qr["authored"] = when(e.at);
  qr["author"] = actor_ref(e.actor, patient_uuid_);
  array items;
  std::vector<std::string_view> tokens;
  for (std::size_t i = 0; i < m.items.size(); ++i) {
    const std::string& t = m.items[i].text;
    tokens.emplace_back(t);
    object item;
    item["linkId"] = std::to_string(i + 1);
    // "-" is an item not asked: the item stays, without an answer.
    if (t != "-") {
      object answer;
      const bool digits =
          !t.empty() && t.size() <= 9 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits) {
        answer["valueInteger"] = std::stoll(t);
      } else {
        answer["valueCoding"] = coding(kap_answer, token_or_unspecified(t));
      }
      item["answer"] = array{std::move(answer)};
    }
    items.push_back(std::move(item));
  }
  if (!items.empty()) qr["item"] = std::move(items);
  push("QuestionnaireResponse", qr_uuid, std::move(qr), e.at);

  if (!known) return;
  auto report = measures::score_tokens(m.instrument, tokens);
  if (!report || !report->total) return;  // no total (C-SSRS screener, EBI) or not scorable
  const std::string uuid = name_uuid("Observation|" + key + "|total");
  const auto loinc_code = total_loinc(m.instrument);
  auto parsed = measures::parse_instrument_id(m.instrument);
  const std::string name = parsed ? str(measures::describe_instrument(*parsed).name) : instrument;
  object code =
      loinc_code ? concept_of(coding(loinc, *loinc_code, name + " total score"), name + " total score")
                 : concept_of(coding(kap_measure, instrument + ":total", name + " total score"), name + " total score");
  object o = observation(e, uuid, key, "total", std::move(code), {});
  o["category"] = array{concept_of(coding(obs_category, "survey", "Survey"))};
  o["valueInteger"] = *report->total;
  if (report->band) {
    const std::string band = str(enum_name(*report->band));
    o["interpretation"] = array{concept_of(coding(kap_band, band, words(band)), words(band))};
  }
  o["derivedFrom"] = array{urn_ref(qr_uuid)};
  push("Observation", uuid, std::move(o), e.at);
}

}  // namespace kap::fhir::detail
