// kapctl simulate --journal, its journal part: the simulated events appended to a journal
// (journal_parts.hpp).
#include "journal_parts.hpp"

#include <kap/journal/sqlite_journal.hpp>

#include <map>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace kapctl {

namespace {

class sqlite_simulation_journal final : public simulation_journal {
 public:
  sqlite_simulation_journal(std::string path, std::map<std::string, kap::sqlite_journal> journals)
      : path_(std::move(path)), journals_(std::move(journals)) {}

  void record(const std::string& arm, const kap::event& e) override {
    if (!pending_.empty() && (pending_.back().session != e.session)) flush();
    pending_arm_ = arm;
    pending_.push_back(e);
  }

  int finish(io& io) override {
    flush();
    io.err << "journal: " << sessions_written_ << " sessions appended to " << path_ << "\n";
    if (!error_.empty()) {
      io.err << "kapctl simulate: journal: " << error_ << "\n";
      return exit_usage;
    }
    return exit_ok;
  }

 private:
  // Appends the pending session in one transaction, under its arm's protocol.
  void flush() {
    if (pending_.empty() || !error_.empty()) return;
    auto r = journals_.at(pending_arm_).append(std::span<const kap::event>(pending_));
    if (!r) error_ = r.error().message;
    pending_.clear();
    ++sessions_written_;
  }

  std::string path_;
  std::map<std::string, kap::sqlite_journal> journals_;  // one handle per arm, all on the same file
  std::vector<kap::event> pending_;
  std::string pending_arm_;
  std::size_t sessions_written_ = 0;
  std::string error_;  // the first failed append's message
};

}  // namespace

std::unique_ptr<simulation_journal> open_simulation_journal(std::string_view db,
                                                            const std::vector<kap::course::arm_spec>& arms, io& io) {
  std::map<std::string, kap::sqlite_journal> journals;
  for (const auto& a : arms) {
    kap::journal_options opt;
    opt.protocol = a.protocol;
    auto j = kap::sqlite_journal::open(std::string(db), std::move(opt));
    if (!j) {
      io.err << "kapctl simulate: " << j.error().message << "\n";
      return nullptr;
    }
    journals.emplace(a.name, std::move(*j));
  }
  return std::make_unique<sqlite_simulation_journal>(std::string(db), std::move(journals));
}

}  // namespace kapctl
