// kapctl simulate --arm NAME:N ... --seed S [--out DIR]
#include "cohort_table.hpp"
#include "command.hpp"
#include "files.hpp"
#include "journal_parts.hpp"

#include <kap/course/cohort.hpp>
#include <kap/course/courses_file.hpp>
#include <kap/course/simulate.hpp>
#include <kap/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <string_view>

namespace kapctl {

namespace {

/// Progress on stderr while patients are simulated: a redrawn bar when stderr is a terminal, a
/// plain line at every quarter otherwise (a log file or a pipe gets no carriage returns).
class progress {
 public:
  progress(std::ostream& err, bool terminal, std::size_t total) : err_(err), terminal_(terminal), total_(total) {}
  /// `done` patients are finished.
  void patients_done(std::size_t done) {
    if (done > done_) show(done_ = done);
  }
  void finish() {
    if (total_ == 0) return;
    show(total_);
    if (terminal_) err_ << "\n" << std::flush;
  }

 private:
  void show(std::size_t done) {
    const std::size_t percent = std::min<std::size_t>(100, done * 100 / total_);
    if (percent == shown_) return;
    if (terminal_) {
      constexpr std::size_t width = 40;
      const std::size_t filled = percent * width / 100;
      err_ << "\rsimulating (synthetic) [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
           << percent << "% " << done << "/" << total_ << " patients" << std::flush;
    } else if (percent / 25 != (shown_ == npos ? 0 : shown_ / 25)) {
      err_ << "simulating (synthetic): " << done << "/" << total_ << " patients (" << percent << "%)\n" << std::flush;
    }
    shown_ = percent;
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::ostream& err_;
  bool terminal_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t shown_ = npos;
};

}  // namespace

constexpr std::string_view simulate_help =
    "Usage: kapctl simulate --arm PROTOCOL:N [--arm PROTOCOL:N ...] [--seed S] [--out DIR]\n"
    "                       [--journal DB]\n\n"
    "SYNTHETIC DATA ONLY. Generates N synthetic patients per arm (PROTOCOL is a reference\n"
    "protocol name or a kap.protocol/1 file) and drives every session through the session\n"
    "engine on a virtual clock (docs/simulator.md): protocols with a dosing phase run six\n"
    "twice-weekly sessions, protocols without one twelve weekly sessions, with PHQ-9 before\n"
    "each. Prints per arm: n, response and remission rates with 95% intervals, and the median\n"
    "sessions and days to first response. The same seed gives byte-identical output.\n"
    "With --out DIR it writes DIR/events-<arm>.jsonl (every event), DIR/courses.json\n"
    "(kap.courses/1, input for `kapctl cohort`) and DIR/summary.json. With --journal DB every\n"
    "event is also appended, one transaction per session, to the SQLite journal DB (created if\n"
    "absent); `kapctl journal verify DB` checks it afterwards.\n"
    "Progress goes to stderr: a bar when stderr is a terminal, a line at every quarter otherwise.\n"
    "Exit status: 0 done, 1 a protocol file is invalid, 2 usage error.\n"
    "Not medical advice: the numbers describe simulated patients, not any treatment.\n";

namespace {

int cmd_simulate(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--arm", "--seed", "--out", "--journal"}, {});
  if (!p.error().empty()) return usage_error(io, "simulate", p.error());
  if (!p.positional().empty()) return usage_error(io, "simulate", "unexpected argument " + std::string(p.positional()[0]));
  const auto arm_texts = p.values("--arm");
  if (arm_texts.empty()) return usage_error(io, "simulate", "give at least one --arm PROTOCOL:N");
  kap::course::simulation_params params;
  if (const auto seed = p.value("--seed")) {
    auto n = parse_int(*seed);
    if (!n || *n < 0) return usage_error(io, "simulate", "--seed: \"" + std::string(*seed) + "\" is not a whole number >= 0");
    params.seed = static_cast<std::uint64_t>(*n);
  }
  std::vector<kap::course::arm_spec> arms;
  for (const auto text : arm_texts) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return usage_error(io, "simulate", "--arm " + std::string(text) + ": expected PROTOCOL:N");
    const auto n = parse_int(text.substr(colon + 1));
    if (!n || *n < 1 || *n > 100000) {
      return usage_error(io, "simulate", "--arm " + std::string(text) + ": N must be a whole number from 1 to 100000");
    }
    auto loaded = load_protocol("simulate", text.substr(0, colon), io, io.err);
    if (!loaded.protocol) return loaded.status;
    std::string name(text.substr(0, colon));
    name = std::filesystem::path(name).stem().string();
    arms.push_back(kap::course::default_arm(name, loaded.protocol, static_cast<std::size_t>(*n)));
  }
  // The defaults always pass; the check keeps a refused input from printing an empty table.
  if (auto checked = kap::course::check_simulation(params, arms); !checked) {
    io.err << "kapctl simulate: " << checked.error().message << "\n";
    return exit_invalid;
  }

  std::optional<std::filesystem::path> out_dir;
  // Every file of --out goes through output_file: all are written and fsynced first, then all
  // renamed, so a full disk leaves the earlier files as they were and no temporary file behind.
  std::map<std::string, std::unique_ptr<output_file>> streams;
  if (const auto out = p.value("--out")) {
    out_dir = std::filesystem::path(std::string(*out));
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) {
      io.err << "kapctl simulate: cannot create " << out_dir->string() << ": " << ec.message() << "\n";
      return exit_usage;
    }
    for (const auto& a : arms) {
      auto& f = streams[a.name];
      if (f) continue;  // two arms of one name share a file, as they always did
      f = std::make_unique<output_file>(*out_dir / ("events-" + a.name + ".jsonl"));
      if (auto problem = f->open(); !problem.empty()) {
        io.err << "kapctl simulate: " << problem << "\n";
        return exit_usage;
      }
    }
  }
  std::unique_ptr<simulation_journal> journal;
  if (const auto journal_path = p.value("--journal")) {
    journal = open_simulation_journal(*journal_path, arms, io);
    if (!journal) return exit_usage;
  }
  std::size_t total_patients = 0;
  std::map<std::string, std::size_t> patients_before;  // per arm: patients of the arms before it
  for (const auto& a : arms) {
    patients_before[a.name] = total_patients;
    total_patients += a.patients;
  }
  progress bar(io.err, &io.err == &std::cerr && isatty(STDERR_FILENO) == 1, total_patients);
  const auto courses = kap::course::simulate(params, arms, [&](const std::string& arm, const kap::event& e, const kap::decision&) {
    // Session ids are SYN-<arm>-<i>-s<k>: patient i's events mean the i - 1 before it are done
    // (a patient who left before the first session records none).
    const std::string_view sid = e.session.str();
    const std::size_t prefix = 5 + arm.size();
    if (const auto dash = sid.find('-', prefix); dash != std::string_view::npos) {
      if (const auto i = parse_int(sid.substr(prefix, dash - prefix)); i && *i >= 1) {
        bar.patients_done(patients_before[arm] + static_cast<std::size_t>(*i) - 1);
      }
    }
    if (out_dir) {
      auto& f = *streams.at(arm);
      f.write(kap::json::write_event(e));
      f.write("\n");
    }
    if (journal) journal->record(arm, e);
  });
  bar.finish();
  if (journal) {
    if (const int status = journal->finish(io); status != exit_ok) return status;
  }
  const auto summary = kap::course::summarize_cohort(courses, true);
  print_cohort_table(io.out, summary);
  if (out_dir) {
    kap::course::courses_file file;
    file.synthetic = true;
    file.courses = courses;
    std::vector<output_file*> files;
    for (auto& [name, f] : streams) files.push_back(f.get());
    output_file courses_out(*out_dir / "courses.json");
    output_file summary_out(*out_dir / "summary.json");
    const std::pair<output_file*, std::string> whole[] = {{&courses_out, kap::json::to_string(file) + "\n"},
                                                          {&summary_out, kap::json::to_string(summary) + "\n"}};
    for (const auto& [f, text] : whole) {
      if (auto problem = f->open(); !problem.empty()) {
        io.err << "kapctl simulate: " << problem << "\n";
        return exit_usage;
      }
      f->write(text);
      files.push_back(f);
    }
    for (auto* f : files) {
      if (auto problem = f->finish(); !problem.empty()) {
        io.err << "kapctl simulate: " << problem << "\n";
        return exit_usage;
      }
    }
    for (auto* f : files) {
      if (auto problem = f->publish(); !problem.empty()) {
        io.err << "kapctl simulate: " << problem << "\n";
        return exit_usage;
      }
    }
    io.out << "\nwrote " << (*out_dir / "courses.json").string() << ", " << (*out_dir / "summary.json").string()
           << " and events-<arm>.jsonl (synthetic)\n";
  }
  return exit_ok;
}

}  // namespace

const command simulate_command{"simulate", "simulate synthetic cohorts through the engine (synthetic data)",
                               simulate_help, cmd_simulate};

}  // namespace kapctl
