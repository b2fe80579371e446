#include "command.hpp"

#include <array>

namespace kapctl {

// One declaration per subcommand; each is defined in cmd_<name>.cpp.
int cmd_dose(std::span<const std::string_view> args, io& io);
int cmd_time(std::span<const std::string_view> args, io& io);
int cmd_validate(std::span<const std::string_view> args, io& io);
int cmd_run(std::span<const std::string_view> args, io& io);
#if KAP_KAPCTL_JOURNAL
int cmd_journal(std::span<const std::string_view> args, io& io);
#endif
int cmd_protocols(std::span<const std::string_view> args, io& io);
int cmd_protocol(std::span<const std::string_view> args, io& io);
int cmd_instruments(std::span<const std::string_view> args, io& io);
int cmd_score(std::span<const std::string_view> args, io& io);
int cmd_change(std::span<const std::string_view> args, io& io);

extern const std::string_view dose_help;
extern const std::string_view time_help;
extern const std::string_view validate_help;
extern const std::string_view run_help;
#if KAP_KAPCTL_JOURNAL
extern const std::string_view journal_help;
#endif
extern const std::string_view protocols_help;
extern const std::string_view protocol_help;
extern const std::string_view instruments_help;
extern const std::string_view score_help;
extern const std::string_view change_help;
int cmd_simulate(std::span<const std::string_view> args, io& io);
int cmd_cohort(std::span<const std::string_view> args, io& io);
extern const std::string_view simulate_help;
extern const std::string_view cohort_help;
int cmd_graph(std::span<const std::string_view> args, io& io);
int cmd_lint(std::span<const std::string_view> args, io& io);
extern const std::string_view graph_help;
extern const std::string_view lint_help;
int cmd_fhir(std::span<const std::string_view> args, io& io);
extern const std::string_view fhir_help;
int cmd_report(std::span<const std::string_view> args, io& io);
extern const std::string_view report_help;

std::span<const command> commands() {
  static const std::array table{
      command{"dose", "compute an absolute dose from mg/kg and body weight", dose_help, cmd_dose},
      command{"validate", "check a kap.protocol/1 file and list every problem", validate_help, cmd_validate},
      command{"lint", "statically verify a protocol: dead ends, unmonitored doses, requirements that never hold",
              lint_help, cmd_lint},
      command{"graph", "draw a protocol as Graphviz dot or Mermaid", graph_help, cmd_graph},
      command{"run", "run events through the session engine under a protocol", run_help, cmd_run},
#if KAP_KAPCTL_JOURNAL
      command{"journal", "append, list, replay, export and verify a durable session journal", journal_help,
              cmd_journal},
#endif
      command{"protocols", "list the reference protocols built into kap", protocols_help, cmd_protocols},
      command{"protocol", "print a protocol's JSON (protocol show NAME|FILE)", protocol_help, cmd_protocol},
      command{"time", "check an RFC 3339 timestamp and print it normalised to UTC", time_help, cmd_time},
      command{"instruments", "list the outcome instruments kap scores", instruments_help, cmd_instruments},
      command{"score", "score one record of an outcome instrument", score_help, cmd_score},
      command{"change", "compute change, response, remission and reliable change", change_help, cmd_change},
      command{"simulate", "simulate synthetic cohorts through the engine (synthetic data)", simulate_help,
              cmd_simulate},
      command{"cohort", "cohort statistics from recorded courses", cohort_help, cmd_cohort},
      command{"fhir", "export journal sessions as a FHIR R4 Bundle", fhir_help, cmd_fhir},
      command{"report", "course, session and cohort reports as text and self-contained HTML", report_help,
              cmd_report},
  };
  return table;
}

}  // namespace kapctl
