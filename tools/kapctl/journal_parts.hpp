#pragma once

// The parts of kapctl's commands that use kap::journal, behind one seam.
//
// kapctl builds with or without kap::journal (KAP_WITH_JOURNAL). tools/kapctl/CMakeLists.txt is
// the one place that chooses: with the journal it compiles cmd_journal.cpp and the journal_*.cpp
// files, which define what is declared here; without it, without_journal.cpp, whose stand-ins
// answer each use with a usage error ("... this kapctl was built without kap::journal", exit 2)
// and leave the journal command out of `kapctl --help`. The commands themselves (fhir, report,
// simulate) call these functions and never ask which build they are in.

#include "command.hpp"

#include <kap/core/ids.hpp>
#include <kap/course/simulate.hpp>
#include <kap/fhir/fhir.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kapctl {

/// What `kapctl fhir` was asked for, its arguments checked.
struct fhir_request {
  std::string_view db;                     ///< the journal file
  std::optional<kap::session_id> session;  ///< one session, or all of `subject`'s
  std::optional<kap::subject_id> subject;  ///< given with --subject
  kap::fhir::export_options options;       ///< --type
  std::optional<std::string_view> out;     ///< --out FILE, or standard output
};

/// Exports the FHIR Bundle `request` names (journal_fhir.cpp). Returns the exit status.
int export_fhir(const fhir_request& request, io& io);

/// `kapctl report course ARGS` and `kapctl report session ARGS`, the arguments after the verb
/// (journal_report.cpp). Return the exit status.
int report_course(std::span<const std::string_view> args, io& io);
int report_session(std::span<const std::string_view> args, io& io);

/// `kapctl simulate --journal DB`: the simulated events appended to a journal, one transaction per
/// session (journal_simulate.cpp).
class simulation_journal {
 public:
  virtual ~simulation_journal() = default;
  /// Takes the next event of arm `arm`; a session's events are appended together, when the next
  /// session's first event arrives or at `finish`. After a failed append nothing more is appended.
  virtual void record(const std::string& arm, const kap::event& e) = 0;
  /// Appends the last session and prints "journal: N sessions appended to DB" on io.err, then the
  /// first append failure, if any. Returns exit_ok, or exit_usage after a failure.
  virtual int finish(io& io) = 0;
};

/// Opens `db` once per arm (each arm appends under its own protocol), creating it if absent.
/// Returns nullptr after a message on io.err when it cannot be opened (or kapctl has no journal);
/// the exit status is then exit_usage.
std::unique_ptr<simulation_journal> open_simulation_journal(std::string_view db,
                                                            const std::vector<kap::course::arm_spec>& arms, io& io);

}  // namespace kapctl
