// kapctl fhir DB SESSION | kapctl fhir DB --subject SUBJECT - a FHIR R4 Bundle from the journal (docs/fhir.md).
#include "command.hpp"
#include "files.hpp"

#include <kap/export/fhir.hpp>
#if KAP_KAPCTL_JOURNAL
#include <kap/journal/sqlite_journal.hpp>
#include <kap/session/session.hpp>
#endif

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace kapctl {

extern const std::string_view fhir_help;
const std::string_view fhir_help =
    "Usage: kapctl fhir DB SESSION [--subject SUBJECT] [--type collection|transaction] [--out FILE]\n"
    "       kapctl fhir DB --subject SUBJECT [--type collection|transaction] [--out FILE]\n\n"
    "Exports accepted events of the session journal DB as one HL7 FHIR R4 Bundle (JSON, one line):\n"
    "a Patient by pseudonymous identifier only, an Encounter per session, MedicationAdministration per\n"
    "dose, vital-sign Observations, a QuestionnaireResponse and a total-score Observation per measure,\n"
    "AdverseEvent per adverse event, and a Provenance per recorded event. Notes, justifications and\n"
    "abort reasons are never exported. See docs/fhir.md for the mapping and its code systems.\n\n"
    "DB SESSION           one session. Its subject is --subject, or SUBJECT when the session id is\n"
    "                     SUBJECT-sN (the convention kapctl simulate follows).\n"
    "DB --subject SUBJECT every session SUBJECT-sN of the journal, in the order they were opened.\n"
    "--type transaction   a transaction Bundle (each entry with its request) instead of a collection.\n"
    "--out FILE           writes the Bundle to FILE instead of standard output.\n\n"
    "The same journal always gives the same bytes: resource ids are name-based UUIDs of the session\n"
    "and event ids.\n\n"
    "Exit status: 0 exported, 1 unknown session or subject, a session without accepted events or a\n"
    "damaged journal, 2 usage error or an I/O failure.\n";

namespace {

constexpr std::string_view fhir_cmd = "fhir";

#if KAP_KAPCTL_JOURNAL
int fail(io& io, const kap::error& e) {
  io.err << "kapctl " << fhir_cmd << ": " << e.message << "\n";
  return error_status(e);
}

/// One session of the journal as the exporter's input: its rows with their stored decisions and
/// the protocol stored with it (through a replay, which also proves the stored protocol intact).
kap::result<kap::fhir::session_input> load_session(kap::journal& j, const kap::session_id& id,
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
#endif

}  // namespace

int cmd_fhir(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--subject", "--type", "--out"}, {});
  if (!p.error().empty()) return usage_error(io, fhir_cmd, p.error());
  const auto& pos = p.positional();
  if (pos.empty() || pos.size() > 2) return usage_error(io, fhir_cmd, "give a journal file and a session id, or --subject");
  if (pos.size() == 1 && !p.value("--subject")) return usage_error(io, fhir_cmd, "give a session id or --subject SUBJECT");
  kap::fhir::export_options options;
  if (const auto t = p.value("--type")) {
    if (*t == "collection") {
      options.type = kap::fhir::bundle_type::collection;
    } else if (*t == "transaction") {
      options.type = kap::fhir::bundle_type::transaction;
    } else {
      return usage_error(io, fhir_cmd, "--type must be collection or transaction");
    }
  }
  std::optional<kap::subject_id> subject;
  if (const auto s = p.value("--subject")) {
    auto id = kap::subject_id::make(*s);
    if (!id) return usage_error(io, fhir_cmd, "--subject: " + id.error().message);
    subject = std::move(*id);
  }
  std::optional<kap::session_id> session;
  if (pos.size() == 2) {
    auto id = kap::session_id::make(pos[1]);
    if (!id) return usage_error(io, fhir_cmd, id.error().message);
    session = std::move(*id);
  }
#if !KAP_KAPCTL_JOURNAL
  (void)options;
  return usage_error(io, fhir_cmd, "this kapctl was built without kap::journal");
#else
  kap::journal_options opt;
  opt.read_only = true;  // an export never writes to the journal
  auto j = kap::sqlite_journal::open(std::string(pos[0]), std::move(opt));
  if (!j) return fail(io, j.error());
  auto list = j->sessions();
  if (!list) return fail(io, list.error());

  kap::result<std::string> bundle = kap::error{kap::errc::unknown_session, ""};
  if (session) {
    const kap::session_info* info = nullptr;
    for (const auto& s : *list) {
      if (s.id == *session) info = &s;
    }
    if (!info)
      return fail(io, {kap::errc::unknown_session, "no session " + session->str() + " in " + std::string(pos[0])});
    auto derived = kap::fhir::subject_of(*session);
    if (!subject) {
      if (!derived) return fail(io, {derived.error().code, derived.error().message + ": give --subject"});
      subject = std::move(*derived);
    } else if (derived && *derived != *subject) {
      // The session's id names another subject: exporting it under --subject would file one
      // patient's session in another patient's record.
      return fail(io, {kap::errc::unknown_session, "session " + session->str() + " belongs to subject " +
                                                        derived->str() + ", not " + subject->str()});
    }
    auto in = load_session(*j, *session, *info);
    if (!in) return fail(io, in.error());
    bundle = kap::fhir::session_bundle(*subject, *in, options);
  } else {
    std::vector<kap::fhir::session_input> inputs;
    for (const auto& s : *list) {
      auto owner = kap::fhir::subject_of(s.id);
      if (!owner || *owner != *subject) continue;
      auto in = load_session(*j, s.id, s);
      if (!in) return fail(io, in.error());
      inputs.push_back(std::move(*in));
    }
    if (inputs.empty()) {
      return fail(io, {kap::errc::unknown_session,
                       "no session of subject " + subject->str() + " (SUBJECT-sN) in " + std::string(pos[0])});
    }
    bundle = kap::fhir::subject_bundle(*subject, inputs, options);
  }
  if (!bundle) return fail(io, bundle.error());
  if (const auto out = p.value("--out")) {
    const std::string problem = write_atomically(std::filesystem::path(std::string(*out)), *bundle);
    if (!problem.empty()) {
      io.err << "kapctl " << fhir_cmd << ": " << problem << "\n";
      return exit_usage;
    }
    return exit_ok;
  }
  io.out << *bundle;
  return exit_ok;
#endif
}

}  // namespace kapctl
