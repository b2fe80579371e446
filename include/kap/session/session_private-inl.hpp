#pragma once

// What the engine's definition files share (date's tz_private.h model): the pending change an
// event's check hands to its commit, and the wording of refusals. Not a public header: included by
// session-inl.hpp, rules-inl.hpp, requirements-inl.hpp and schedule-inl.hpp.

#include <kap/session/session.hpp>

#include <kap/core/detail/code_text.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace kap {

/// What an event's check found, for its commit; kept only while one event is decided.
struct session::pending {
  std::vector<detail::alert_key> raised;          // the keys of the alerts it raises, in step with the decision's
  std::optional<mg_per_kg> per_kg;                // a dose: per kilogram of the screening weight
  std::optional<int> measure_total;               // a measure: its total
  detail::vitals_values reading;                  // a reading: its values (they may close alerts)
  std::optional<std::uint32_t> adverse_resolved;  // an adverse event: the number of the kind it resolves
  bool hold_changed = false;                      // a screening: the subject's hold limits changed
};

namespace detail {
/// Appends "a word" or "an word".
KAP_FUNC void append_a_or_an(std::string& out, std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  out.append(vowel ? "an " : "a ");
  out.append(word);
}
/// "a word" or "an word".
KAP_FUNC std::string a_or_an(std::string_view word) {
  std::string out;
  append_a_or_an(out, word);
  return out;
}
/// "12 min": whole minutes, rounded down.
KAP_FUNC std::string minutes_text(duration d) {
  return std::to_string(std::chrono::duration_cast<minutes>(d).count()) + " min";
}
/// "13 min": whole minutes, rounded up (what is still required).
KAP_FUNC std::string ceil_minutes_text(duration d) { return std::to_string(std::chrono::ceil<minutes>(d).count()) + " min"; }
/// "no phase "x" in the protocol" for a phase id shaped like a code; otherwise a sentence that
/// does not echo it (kap/core/detail/code_text.hpp).
KAP_FUNC std::string unknown_phase_text(std::string_view target) {
  if (!is_code(target)) return "unknown phase (not a phase id of this protocol)";
  return "no phase " + quoted_if_code(target) + " in the protocol";
}
/// "a therapist may not record a dose event", for every role and event type, built once: the
/// most common refusal costs one string copy.
KAP_FUNC std::string build_unauthorized_message(role r, event_type t) {
  std::string m;
  append_a_or_an(m, to_string(r));
  m.append(" may not record ");
  append_a_or_an(m, wire_name(t));
  m.append(" event");
  return m;
}
KAP_FUNC std::string unauthorized_message(role r, event_type t) {
  constexpr std::size_t roles = boost::mp11::mp_size<boost::describe::describe_enumerators<role>>::value;
  static const std::vector<std::string> table = [] {
    std::vector<std::string> v;
    v.reserve(roles * event_type_count);
    for (std::size_t i = 0; i < roles; ++i) {
      for (std::size_t k = 0; k < event_type_count; ++k) {
        v.push_back(build_unauthorized_message(static_cast<role>(i), static_cast<event_type>(k)));
      }
    }
    return v;
  }();
  const auto i = static_cast<std::size_t>(r);
  const auto k = static_cast<std::size_t>(t);
  if (i >= roles || k >= event_type_count) return build_unauthorized_message(r, t);
  return table[i * event_type_count + k];
}
}  // namespace detail

}  // namespace kap
