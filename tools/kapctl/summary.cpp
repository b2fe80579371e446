#include "summary.hpp"

#include <kap/json.hpp>

#include <boost/describe/class.hpp>

#include <utility>
#include <vector>

namespace kapctl {

namespace {

struct next_phase {
  std::string phase;
  std::vector<kap::unmet> blockers;
};
BOOST_DESCRIBE_STRUCT(next_phase, (), (phase, blockers))

struct session_summary {
  std::string session;
  std::string phase;
  bool closed = false;
  std::optional<kap::timestamp> at;
  std::vector<kap::alert> open_alerts;
  std::vector<next_phase> next;
  std::vector<kap::due_item> due;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  double cumulative_mg = 0;
};
BOOST_DESCRIBE_STRUCT(session_summary, (),
                      (session, phase, closed, at, open_alerts, next, due, accepted, rejected, cumulative_mg))

struct summary_wrapper {
  session_summary summary;
};
BOOST_DESCRIBE_STRUCT(summary_wrapper, (), (summary))

}  // namespace

std::string summary_line(const kap::session& s, std::size_t accepted, std::size_t rejected,
                         std::optional<kap::timestamp> at) {
  session_summary sum;
  sum.session = s.id().str();
  sum.phase = s.phase();
  sum.closed = s.closed();
  sum.at = at ? at : s.snapshot().last_event_at;
  sum.open_alerts = s.open_alerts();
  sum.accepted = accepted;
  sum.rejected = rejected;
  sum.cumulative_mg = s.cumulative_dose().count();
  if (sum.at) {
    for (const auto& tr : s.definition().transitions) {
      if (tr.from == s.phase() && !s.closed()) sum.next.push_back({tr.to, s.blockers(tr.to, *sum.at)});
    }
    sum.due = s.due(*sum.at);
  }
  return kap::json::to_string(summary_wrapper{std::move(sum)});
}

}  // namespace kapctl
