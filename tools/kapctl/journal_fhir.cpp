// kapctl fhir, its journal part: the Bundle from the journal's sessions (journal_parts.hpp).
#include "files.hpp"
#include "journal_parts.hpp"

#include <kap/fhir/fhir.hpp>
#include <kap/journal/sqlite_journal.hpp>
#include <kap/session/session.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace kapctl {

namespace {

int fhir_fail(io& io, const kap::error& e) {
  io.err << "kapctl fhir: " << e.message << "\n";
  return error_status(e);
}

/// One session of the journal as the exporter's input: its rows with their stored decisions and
/// the protocol stored with it (through a replay, which also proves the stored protocol intact).
kap::result<kap::fhir::session_input> load_fhir_session(kap::journal& j, const kap::session_id& id,
                                                        const kap::session_info& info) {
  auto rows = j.read(id);
  if (!rows) return std::move(rows).error();
  auto rep = j.replay(id);
  if (!rep) return std::move(rep).error();
  kap::fhir::session_input in;
  in.session = id;
  in.protocol = kap::reports::summarize_protocol(rep->session->definition());
  in.protocol_version = info.protocol_version;
  for (auto& r : *rows) {
    in.events.push_back(std::move(r.event));
    in.decisions.push_back(std::move(r.decision));
  }
  return in;
}

}  // namespace

int export_fhir(const fhir_request& request, io& io) {
  const auto& session = request.session;
  auto subject = request.subject;
  const auto& options = request.options;
  kap::journal_options opt;
  opt.read_only = true;  // an export never writes to the journal
  auto j = kap::sqlite_journal::open(std::string(request.db), std::move(opt));
  if (!j) return fhir_fail(io, j.error());
  auto list = j->sessions();
  if (!list) return fhir_fail(io, list.error());

  kap::result<std::string> bundle = kap::error{kap::errc::unknown_session, ""};
  if (session) {
    const kap::session_info* info = nullptr;
    for (const auto& s : *list) {
      if (s.id == *session) info = &s;
    }
    if (!info) {
      return fhir_fail(io,
                       {kap::errc::unknown_session, "no session " + session->str() + " in " + std::string(request.db)});
    }
    auto derived = kap::fhir::subject_of(*session);
    if (!subject) {
      if (!derived) return fhir_fail(io, {derived.error().code, derived.error().message + ": give --subject"});
      subject = std::move(*derived);
    } else if (derived && *derived != *subject) {
      // The session's id names another subject: exporting it under --subject would file one
      // patient's session in another patient's record.
      return fhir_fail(io, {kap::errc::unknown_session, "session " + session->str() + " belongs to subject " +
                                                            derived->str() + ", not " + subject->str()});
    }
    auto in = load_fhir_session(*j, *session, *info);
    if (!in) return fhir_fail(io, in.error());
    bundle = kap::fhir::session_bundle(*subject, *in, options);
  } else {
    std::vector<kap::fhir::session_input> inputs;
    for (const auto& s : *list) {
      auto owner = kap::fhir::subject_of(s.id);
      if (!owner || *owner != *subject) continue;
      auto in = load_fhir_session(*j, s.id, s);
      if (!in) return fhir_fail(io, in.error());
      inputs.push_back(std::move(*in));
    }
    if (inputs.empty()) {
      return fhir_fail(io, {kap::errc::unknown_session,
                            "no session of subject " + subject->str() + " (SUBJECT-sN) in " + std::string(request.db)});
    }
    bundle = kap::fhir::subject_bundle(*subject, inputs, options);
  }
  if (!bundle) return fhir_fail(io, bundle.error());
  if (request.out) {
    const std::string problem = write_atomically(std::filesystem::path(std::string(*request.out)), *bundle);
    if (!problem.empty()) {
      io.err << "kapctl fhir: " << problem << "\n";
      return exit_usage;
    }
    return exit_ok;
  }
  io.out << *bundle;
  return exit_ok;
}

}  // namespace kapctl
