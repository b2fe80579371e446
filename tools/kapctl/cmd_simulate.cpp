// kapctl simulate --arm NAME:N ... --seed S [--out DIR]
#include "cohort_table.hpp"
#include "command.hpp"
#include "files.hpp"

#include <kap/course/cohort.hpp>
#include <kap/course/simulate.hpp>
#include <kap/json.hpp>

#if KAP_KAPCTL_JOURNAL
#include <kap/journal/sqlite_journal.hpp>
#endif

#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

namespace kapctl {

extern const std::string_view simulate_help;
const std::string_view simulate_help =
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
    "absent), with a progress bar on stderr; `kapctl journal verify DB` checks it afterwards.\n"
    "Exit status: 0 done, 1 a protocol file is invalid, 2 usage error.\n"
    "Not medical advice: the numbers describe simulated patients, not any treatment.\n";

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

  std::optional<std::filesystem::path> out_dir;
  std::map<std::string, std::ofstream> streams;
  if (const auto out = p.value("--out")) {
    out_dir = std::filesystem::path(std::string(*out));
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) {
      io.err << "kapctl simulate: cannot create " << out_dir->string() << ": " << ec.message() << "\n";
      return exit_usage;
    }
    for (const auto& a : arms) {
      streams[a.name].open(*out_dir / ("events-" + a.name + ".jsonl"), std::ios::binary | std::ios::trunc);
    }
  }
#if !KAP_KAPCTL_JOURNAL
  if (p.value("--journal")) return usage_error(io, "simulate", "--journal: this kapctl was built without kap::journal");
#else
  // One journal handle per arm (each appends under its own protocol), all on the same file.
  std::map<std::string, kap::sqlite_journal> journals;
  std::vector<kap::event> pending;
  std::string pending_arm;
  std::size_t total_patients = 0;
  for (const auto& a : arms) total_patients += a.patients;
  std::size_t sessions_written = 0;
  std::string journal_error;
  const auto journal_path = p.value("--journal");
  if (journal_path) {
    for (const auto& a : arms) {
      kap::journal_options opt;
      opt.protocol = a.protocol;
      auto j = kap::sqlite_journal::open(std::string(*journal_path), std::move(opt));
      if (!j) {
        io.err << "kapctl simulate: " << j.error().message << "\n";
        return exit_usage;
      }
      journals.emplace(a.name, std::move(*j));
    }
  }
  auto flush = [&]() {
    if (pending.empty() || !journal_error.empty()) return;
    auto r = journals.at(pending_arm).append(std::span<const kap::event>(pending));
    if (!r) journal_error = r.error().message;
    pending.clear();
    ++sessions_written;
    if (sessions_written % 50 == 0) {
      const std::size_t width = 30;
      const std::size_t expected = total_patients * 9;  // about 6-12 sessions a patient
      const std::size_t done = std::min(width, sessions_written * width / std::max<std::size_t>(expected, 1));
      io.err << "\rjournal [" << std::string(done, '#') << std::string(width - done, ' ') << "] " << sessions_written
             << " sessions" << std::flush;
    }
  };
#endif
  const auto courses = kap::course::simulate(params, arms, [&](const std::string& arm, const kap::event& e, const kap::decision&) {
    if (out_dir) streams[arm] << kap::json::write_event(e) << '\n';
#if KAP_KAPCTL_JOURNAL
    if (journal_path) {
      if (!pending.empty() && (pending.back().session != e.session)) flush();
      pending_arm = arm;
      pending.push_back(e);
    }
#endif
  });
#if KAP_KAPCTL_JOURNAL
  if (journal_path) {
    flush();
    io.err << "\rjournal: " << sessions_written << " sessions appended to " << *journal_path
           << std::string(20, ' ') << "\n";
    if (!journal_error.empty()) {
      io.err << "kapctl simulate: journal: " << journal_error << "\n";
      return exit_usage;
    }
  }
#endif
  const auto summary = kap::course::summarize_cohort(courses, true);
  print_cohort_table(io.out, summary);
  if (out_dir) {
    courses_file file;
    file.synthetic = true;
    file.courses = courses;
    std::ofstream(*out_dir / "courses.json", std::ios::binary | std::ios::trunc) << kap::json::to_string(file) << '\n';
    std::ofstream(*out_dir / "summary.json", std::ios::binary | std::ios::trunc) << kap::json::to_string(summary) << '\n';
    io.out << "\nwrote " << (*out_dir / "courses.json").string() << ", " << (*out_dir / "summary.json").string()
           << " and events-<arm>.jsonl (synthetic)\n";
  }
  return exit_ok;
}

}  // namespace kapctl
