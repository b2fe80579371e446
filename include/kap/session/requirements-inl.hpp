#pragma once

// The requirements of kap/session/session.hpp: whether each kind of requirement holds at an
// instant, and why not (`explain`), and what stops a move to a phase (`blockers`). Not a public
// header: part of session-inl.hpp.

#include <kap/session/session_private-inl.hpp>

namespace kap {

KAP_FUNC std::optional<std::string> session::explain(const requirement& req, timestamp t) const {
  using namespace requirements;
  return std::visit(
      [&](const auto& r) -> std::optional<std::string> {
        using R = std::remove_cvref_t<decltype(r)>;
        if constexpr (std::is_same_v<R, consent_signed>) {
          if (!st_.consent) return "consent not signed";
        } else if constexpr (std::is_same_v<R, screening_passed>) {
          switch (st_.screening.status) {
            case screening_status::not_screened: return "screening not recorded";
            case screening_status::excluded:
              return "screening excluded the subject (" + st_.screening.absolute_present.front() + ")";
            case screening_status::needs_review:
              return "relative contraindication " + st_.screening.relative_pending.front() +
                     " needs a recorded override";
            case screening_status::eligible: break;
          }
        } else if constexpr (std::is_same_v<R, checklist_done>) {
          if (std::find(st_.checklist.begin(), st_.checklist.end(), r.item) == st_.checklist.end()) {
            return "checklist item " + r.item + " not done";
          }
        } else if constexpr (std::is_same_v<R, vitals_within>) {
          const vitals_limits& lim = r.limits ? *r.limits : hold_;
          const timestamp oldest = t - r.max_age;
          const bool bp_limited = lim.systolic_max || lim.diastolic_max || lim.systolic_min;
          auto fresh = [&](const std::optional<last_reading>& x, std::string_view name,
                           bool limited) -> std::optional<std::string> {
            if (!limited) return std::nullopt;
            if (!x || x->at < oldest) {
              return "no " + std::string(name) + " recorded in the last " + std::to_string(r.max_age.count()) + " min";
            }
            return std::nullopt;
          };
          if (auto why = fresh(st_.systolic, "blood pressure", bp_limited)) return why;
          if (auto why = fresh(st_.heart_rate, "heart rate", lim.heart_rate_min || lim.heart_rate_max)) return why;
          if (auto why = fresh(st_.spo2, "SpO2", lim.spo2_min.has_value())) return why;
          if (auto why = fresh(st_.respiratory_rate, "respiratory rate",
                               lim.respiratory_rate_min || lim.respiratory_rate_max)) {
            return why;
          }
          const vitals_reading latest = latest_readings();
          if (!within(latest, lim)) return kap::check(latest, lim).front().message;
        } else if constexpr (std::is_same_v<R, min_time_in_phase>) {
          const timestamp since = st_.phase_since.value_or(t);
          if (t - since < r.duration) {
            return detail::minutes_text(t - since) + " in phase " + st_.phase + "; " +
                   detail::ceil_minutes_text(r.duration - (t - since)) + " more required";
          }
        } else if constexpr (std::is_same_v<R, min_time_since_dose>) {
          if (const auto last = st_.doses.empty() ? std::nullopt : std::optional(st_.doses.back().at);
              last && t - *last < r.duration) {
            return detail::minutes_text(t - *last) + " since the last dose; " + detail::ceil_minutes_text(r.duration - (t - *last)) +
                   " more required";
          }
        } else if constexpr (std::is_same_v<R, measure_recorded>) {
          for (const auto& m : st_.measures) {
            if (m.instrument == r.instrument) return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, measure_at_most>) {
          for (const auto& m : st_.measures) {
            if (m.instrument != r.instrument) continue;
            if (!m.total) return r.instrument + " has no total to compare";
            if (*m.total > r.value) {
              return r.instrument + " total " + std::to_string(*m.total) + " is above " + std::to_string(r.value);
            }
            return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, signed_off>) {
          for (const auto& s : st_.signoffs) {
            if (s.what == r.what && s.role == r.role) return std::nullopt;
          }
          return r.what + " not signed off by a " + std::string(to_string(r.role));
        } else if constexpr (std::is_same_v<R, no_open_alerts>) {
          for (const auto& open : open_.entries()) {
            const alert& a = st_.alerts[open.position];
            if (a.severity >= r.severity) return "open alert: " + a.message;
          }
        } else if constexpr (std::is_same_v<R, dose_given>) {
          if (st_.doses.empty()) return "no dose given";
        } else if constexpr (std::is_same_v<R, predicate>) {
          if (r.check) {
            if (auto why = (*r.check)(*this, t)) return r.name + ": " + *why;
          }
        }
        return std::nullopt;
      },
      req);
}

KAP_FUNC void session::collect(const std::vector<requirement>& reqs, timestamp t, std::vector<unmet>& out) const {
  for (const auto& r : reqs) {
    if (auto why = explain(r, t)) out.push_back({std::string(kind_of(r)), std::move(*why)});
  }
}

KAP_FUNC void session::collect_move(std::string_view target, timestamp t, std::vector<unmet>& out) const {
  const auto& def = definition();
  const kap::phase& current = def.phases[phase_index()];
  if (const auto since = st_.phase_since; current.min_duration && since && t - *since < *current.min_duration) {
    out.push_back({"min_time_in_phase", detail::minutes_text(t - *since) + " in phase " + current.id + "; " +
                                            detail::ceil_minutes_text(*current.min_duration - (t - *since)) +
                                            " more required"});
  }
  if (const transition* tr = protocol_->find_transition(current.id, target)) collect(tr->require, t, out);
  if (const kap::phase* p = def.find_phase(target)) collect(p->entry, t, out);
}

KAP_FUNC std::vector<unmet> session::blockers(std::string_view target, timestamp t) const {
  std::vector<unmet> out;
  if (st_.closed) {
    out.push_back({"session_open", "the session is closed"});
    return out;
  }
  if (!definition().find_phase(target)) {
    out.push_back({"transition", detail::unknown_phase_text(target)});
    return out;
  }
  if (!protocol_->find_transition(st_.phase, target)) {
    out.push_back({"transition", "no transition from " + st_.phase + " to " + std::string(target)});
    return out;
  }
  if (is_excluded() && definition().find_phase(target)->kind != phase_kind::aborted) {
    out.push_back({"screening_passed", "screening excluded the subject (" + st_.screening.absolute_present.front() + ")"});
  }
  collect_move(target, t, out);
  return out;
}

}  // namespace kap
