#pragma once

// The definitions of kap/course/cohort.hpp's functions. Not a public header: compiled into kap::core by
// src/course/cohort.cpp, or included by cohort.hpp when KAP_HEADER_ONLY is defined
// (kap/core/config.hpp). KAP_FUNC is `inline` only then.

#include <kap/course/cohort.hpp>

namespace kap::course {

KAP_FUNC cohort_summary summarize_cohort(const std::vector<course_record>& courses, bool synthetic,
                                                     const std::string& instrument) {
  cohort_summary out;
  out.synthetic = synthetic;
  out.instrument = instrument;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const course_record*>> by_arm;
  for (const auto& c : courses) {
    if (!by_arm.contains(c.arm)) order.push_back(c.arm);
    by_arm[c.arm].push_back(&c);
  }
  const auto id = measures::parse_instrument_id(instrument);
  // Why a record cannot be read consistently, or "" when it can.
  auto inconsistency = [](const course_record& c) -> std::string_view {
    if (c.observations.size() != c.session_of_observation.size()) {
      return "observations and session_of_observation differ in length";
    }
    for (const int k : c.session_of_observation) {
      if (k < 0) return "negative session index in session_of_observation";
    }
    if (c.sessions_completed < 0 || c.sessions_aborted < 0) return "negative sessions_completed or sessions_aborted";
    return {};
  };
  std::map<std::string, std::vector<double>> changes;
  std::map<std::string, std::pair<std::size_t, std::size_t>> responders;
  for (const auto& arm : order) {
    arm_summary s;
    s.arm = arm;
    std::vector<std::string> reasons;
    std::vector<double> before, after, change;
    std::vector<stats::km_observation> km_sessions, km_days;
    std::size_t responded = 0, remitted = 0;
    for (const course_record* c : by_arm[arm]) {
      ++s.n;
      if (auto why = inconsistency(*c); !why.empty()) {
        reasons.emplace_back(why);
        continue;
      }
      s.sessions_completed += static_cast<std::size_t>(c->sessions_completed);
      s.sessions_aborted += static_cast<std::size_t>(c->sessions_aborted);
      s.events += c->events;
      s.rejected_events += c->rejected;
      if (c->observations.size() < 2) {
        reasons.emplace_back("no assessment after baseline");
        continue;
      }
      if (!id) {
        reasons.emplace_back("unknown instrument");
        continue;
      }
      auto summary = measures::summarize_course(*id, c->observations);
      auto last = measures::compute_change(*id, c->observations.front().total, c->observations.back().total);
      if (!summary || !last) {
        reasons.emplace_back(!summary ? summary.error().message : last.error().message);
        continue;
      }
      reasons.emplace_back("");
      before.push_back(c->observations.front().total);
      after.push_back(c->observations.back().total);
      change.push_back(c->observations.back().total - c->observations.front().total);
      responded += last->response.value_or(false) ? 1U : 0U;
      remitted += last->remission.value_or(false) ? 1U : 0U;
      const auto& obs = c->observations;
      if (summary->first_response) {
        const auto idx = static_cast<std::size_t>(summary->first_response->index);
        km_sessions.push_back({static_cast<double>(c->session_of_observation[idx]), true});
        km_days.push_back({static_cast<double>(summary->first_response->days_from_baseline), true});
      } else {
        km_sessions.push_back({static_cast<double>(c->session_of_observation.back()), false});
        km_days.push_back({static_cast<double>(obs.back().day - obs.front().day), false});
      }
    }
    s.completeness = stats::summarize_completeness(reasons);
    const std::size_t usable = before.size();
    if (auto r = stats::wilson(responded, usable)) s.response = *r;
    if (auto r = stats::wilson(remitted, usable)) s.remission = *r;
    if (auto m = stats::mean_ci(change)) s.change = *m;
    if (auto d = stats::cohen_dz(before, after)) s.cohen_dz = *d;
    if (auto k = stats::kaplan_meier(km_sessions)) s.sessions_to_response = *k;
    if (auto k = stats::kaplan_meier(km_days)) s.days_to_response = *k;
    changes[arm] = change;
    responders[arm] = {responded, usable};
    out.arms.push_back(std::move(s));
  }
  if (order.size() >= 2) {
    arm_comparison cmp;
    cmp.first = order[0];
    cmp.second = order[1];
    const auto [x1, n1] = responders[order[0]];
    const auto [x2, n2] = responders[order[1]];
    if (auto d = stats::newcombe(x1, n1, x2, n2)) cmp.response_difference = *d;
    if (auto g = stats::hedges_g(changes[order[0]], changes[order[1]])) cmp.hedges_g_change = *g;
    out.comparison = std::move(cmp);
  }
  return out;
}

}  // namespace kap::course
