// kapctl fhir DB SESSION | kapctl fhir DB --subject SUBJECT - a FHIR R4 Bundle from the journal (docs/fhir.md).
#include "command.hpp"
#include "journal_parts.hpp"

#include <kap/fhir/fhir.hpp>

#include <optional>
#include <string>

namespace kapctl {

constexpr std::string_view fhir_help =
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
  fhir_request request{pos[0], std::move(session), std::move(subject), options, p.value("--out")};
  return export_fhir(request, io);
}

}  // namespace

const command fhir_command{"fhir", "export journal sessions as a FHIR R4 Bundle", fhir_help, cmd_fhir};

}  // namespace kapctl
