// FHIR R4 export (kap/fhir/fhir.hpp). The mapping and its sources are in docs/fhir.md.
// Each resource's builder has a file of its own: fhir_private.hpp lists them.
#include <kap/fhir/fhir.hpp>

#include "fhir_private.hpp"

#include <kap/json/events.hpp>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kap::fhir {

namespace detail {

namespace {

result<void> check_common(const subject_id& subject, const export_options& options) {
  if (!subject_id::check(subject.str()).empty()) {
    return error{errc::invalid_id, "subject: " + str(subject_id::check(subject.str()))};
  }
  if (options.subject_system.empty()) return error{errc::invalid_id, "subject_system: must not be empty"};
  return {};
}

}  // namespace

result<void> exporter::add_session(const session_input& in) {
  if (in.session.empty() || !session_id::check(in.session.str()).empty()) {
    return error{errc::invalid_id, "session: the session id must not be empty"};
  }
  const std::string& sid = in.session.str();
  if (!in.decisions.empty() && in.decisions.size() != in.events.size()) {
    return error{errc::missing_field, "session " + sid + ": decisions: " + std::to_string(in.decisions.size()) +
                                          " decisions for " + std::to_string(in.events.size()) + " events"};
  }
  std::vector<const event*> accepted;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    const event& e = in.events[i];
    if (!in.decisions.empty() && !in.decisions[i].accepted()) continue;
    // An invalid id may hold free text: it is named only when it is a valid id.
    const bool id_ok = event_id::check(e.id.str()).empty();
    const std::string where =
        "session " + sid + ": events[" + std::to_string(i) + "]" + (id_ok ? " (" + e.id.str() + ")" : "");
    if (e.session != in.session) {
      const bool sid_ok = session_id::check(e.session.str()).empty();
      return error{errc::unknown_session,
                   where + " belongs to " + (sid_ok ? "session " + e.session.str() : std::string("another session"))};
    }
    // What no reader accepts back (a NaN amount, an enum value with no name, a negative
    // amount: only C++ code makes one) would be exported as null or as nonsense.
    if (auto back = json::check_event(e); !back) {
      return error{back.error().code, where + " would not read back (" + back.error().message + ")"};
    }
    if (!seen.insert(e.id.str()).second) {
      return error{errc::duplicate, "session " + sid + ": events[" + std::to_string(i) + "]: event id " + e.id.str() +
                                        " is accepted twice"};
    }
    accepted.push_back(&e);
  }
  if (accepted.empty()) return error{errc::missing_field, "session " + sid + ": no accepted events to export"};

  add_encounter(in, accepted);

  std::optional<std::string> last_dose;
  unresolved_.clear();
  for (const event* e : accepted) {
    const std::size_t first = entries_.size();
    const std::string key = sid + "|" + e->id.str();
    updated_.clear();
    std::visit([&](const auto& body) { add(*e, key, body, last_dose); }, e->body);
    std::vector<std::string> targets = updated_;
    for (std::size_t k = first; k < entries_.size(); ++k) targets.push_back(entries_[k].uuid);
    if (const auto* s = std::get_if<events::signoff>(&e->body)) {
      provenance(*e, key, {encounter_uuid_}, "attester", token_or_unspecified(s->what));
    } else if (!targets.empty()) {
      provenance(*e, key, targets, "author", {});
    }
  }
  return {};
}

}  // namespace detail

std::string name_uuid(std::string_view name) {
  static const boost::uuids::uuid ns = boost::uuids::name_generator_sha1(boost::uuids::ns::url())("urn:kap:fhir");
  const boost::uuids::name_generator_sha1 gen(ns);
  return boost::uuids::to_string(gen(name.data(), name.size()));
}

result<subject_id> subject_of(const session_id& session) {
  const std::string& s = session.str();
  const auto at = s.rfind("-s");
  const bool ok = at != std::string::npos && at > 0 && at + 2 < s.size() &&
                  std::all_of(s.begin() + static_cast<std::ptrdiff_t>(at + 2), s.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    return error{errc::invalid_id, "session " + s + " does not name its subject (kap's convention is SUBJECT-sN)"};
  }
  return subject_id{s.substr(0, at)};
}

result<std::string> session_bundle(const subject_id& subject, const session_input& session,
                                   const export_options& options) {
  if (auto ok = detail::check_common(subject, options); !ok) return std::move(ok).error();
  detail::exporter x(subject, options);
  if (auto ok = x.add_session(session); !ok) return std::move(ok).error();
  return x.finish("session|" + options.subject_system + "|" + subject.str() + "|" + session.session.str());
}

result<std::string> subject_bundle(const subject_id& subject, std::span<const session_input> sessions,
                                   const export_options& options) {
  if (auto ok = detail::check_common(subject, options); !ok) return std::move(ok).error();
  if (sessions.empty()) return error{errc::missing_field, "subject " + subject.str() + ": no sessions to export"};
  std::set<std::string> seen;
  detail::exporter x(subject, options);
  for (const auto& s : sessions) {
    if (!seen.insert(s.session.str()).second) {
      return error{errc::duplicate, "subject " + subject.str() + ": session " + s.session.str() + " given twice"};
    }
    if (auto ok = x.add_session(s); !ok) return std::move(ok).error();
  }
  return x.finish("subject|" + options.subject_system + "|" + subject.str());
}

}  // namespace kap::fhir
