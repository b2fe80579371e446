// The session report (kap/reports/report.hpp): the page, HTML and plain text. The digest of the
// session and the charts are in files of their own: session_report_private.hpp lists them.
#include <kap/reports/report.hpp>

#include "page.hpp"
#include "session_report_private.hpp"
#include "svg.hpp"

#include <kap/core/enum_name.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap::reports {

using namespace detail;

protocol_summary summarize_protocol(const protocol& p) {
  protocol_summary s;
  s.id = p.id.str();
  s.title = p.title;
  s.initial = p.initial;
  for (const auto& ph : p.phases) s.phases.push_back({ph.id, ph.kind});
  s.vitals = p.vitals;
  return s;
}

namespace {

void add_limit(std::vector<threshold>& out, std::string label, const auto& value, bool critical) {
  if (value) out.push_back({std::move(label), value->count(), critical});
}

std::string severity_cell_class(alert_severity s) { return s == alert_severity::critical ? "critical" : "warning"; }

std::string event_type_name(const event& e) { return std::string(wire_name(e.type())); }

}  // namespace

std::string render_session_html(const session_report_input& in) {
  const digest g = digest_session(in);
  const auto& th = in.protocol.vitals;
  const vitals_limits hold = hold_for_age(th, g.age);  // the subject's, by screening age
  page pg("Session report: " + in.session, "session-report", in.synthetic);

  std::vector<std::pair<std::string, std::string>> facts;
  facts.emplace_back("Session", in.session);
  facts.emplace_back("Protocol",
                     in.protocol.title.empty() ? in.protocol.id : in.protocol.id + " - " + in.protocol.title);
  if (g.first) {
    facts.emplace_back("Time", ymd(*g.first) + " " + hhmm(*g.first) + " to " + hhmm(*g.last) + " UTC (" +
                                   num(minutes_between(*g.first, *g.last), 0) + " min)");
  }
  facts.emplace_back("Events", std::to_string(in.events.size()) + " recorded: " + std::to_string(g.accepted) +
                                   " accepted, " + std::to_string(g.rejected) + " rejected, " +
                                   std::to_string(g.duplicate) + " duplicate");
  facts.emplace_back("Final phase", g.phases.empty() ? std::string("-") : g.phases.back().id);
  double total_mg = 0;
  for (const auto& d : g.doses) total_mg += d.mg;
  facts.emplace_back("Doses", std::to_string(g.doses.size()) + " (" + num(total_mg, 2) + " mg in total)");
  std::size_t crit = 0;
  for (const auto& al : g.alerts) crit += al.severity == alert_severity::critical ? 1U : 0U;
  facts.emplace_back("Alerts", std::to_string(g.alerts.size()) + " (" + std::to_string(crit) + " critical)");
  facts.emplace_back("Vitals readings", std::to_string(g.vitals_events));
  pg.facts(facts);

  pg.h2("Phase timeline", "timeline");
  pg.figure(timeline_svg(in, g),
            "Phases entered (accepted phase events), doses given and alerts raised, against "
            "the time of day (UTC). Hover a shape for details.");

  pg.h2("Vital signs", "vitals");
  {
    std::vector<threshold> lim;
    add_limit(lim, "hold SBP", hold.systolic_max, false);
    add_limit(lim, "hold DBP", hold.diastolic_max, false);
    add_limit(lim, "hold SBP min", hold.systolic_min, false);
    add_limit(lim, "crit SBP", th.critical.systolic_max, true);
    add_limit(lim, "crit DBP", th.critical.diastolic_max, true);
    add_limit(lim, "crit SBP min", th.critical.systolic_min, true);
    pg.figure(vitals_svg(in, g, "Blood pressure", "mmHg", "blood pressure (mmHg)",
                         {{"systolic", "systolic", std::string(palette::blue), &g.systolic},
                          {"diastolic", "diastolic", std::string(palette::purple), &g.diastolic}},
                         lim, std::nullopt),
              "Systolic and diastolic blood pressure (mmHg) against the protocol's hold limits (dosing waits) "
              "and critical limits; dotted vertical lines are doses.");
  }
  {
    std::vector<threshold> lim;
    add_limit(lim, "hold max", hold.heart_rate_max, false);
    add_limit(lim, "hold min", hold.heart_rate_min, false);
    add_limit(lim, "crit max", th.critical.heart_rate_max, true);
    add_limit(lim, "crit min", th.critical.heart_rate_min, true);
    pg.figure(
        vitals_svg(in, g, "Heart rate", "/min", "heart rate (beats/min)",
                   {{"heart rate", "heart-rate", std::string(palette::vermillion), &g.heart_rate}}, lim, std::nullopt),
        lim.empty() ? "Heart rate (beats per minute); the protocol sets no heart-rate limits."
                    : "Heart rate (beats per minute) against the protocol's limits; dotted vertical lines are "
                      "doses.");
  }
  {
    std::vector<threshold> lim;
    add_limit(lim, "hold min", hold.spo2_min, false);
    add_limit(lim, "crit min", th.critical.spo2_min, true);
    pg.figure(vitals_svg(in, g, "SpO2", "%", "SpO2 (%)", {{"SpO2", "spo2", std::string(palette::green), &g.spo2}}, lim,
                         100.0),
              lim.empty() ? "Peripheral oxygen saturation (%); the protocol sets no SpO2 limit."
                          : "Peripheral oxygen saturation (%) against the protocol's lower limits.");
  }

  pg.h2("Doses", "doses");
  if (g.doses.empty()) {
    pg.paragraph("No dose was given.", "empty");
  } else {
    std::vector<std::vector<cell>> rows;
    double cumulative = 0;
    for (const auto& d : g.doses) {
      cumulative += d.mg;
      rows.push_back({hhmm(d.at), d.drug, d.route, cell(num(d.mg, 2), "num"), cell(num(cumulative, 2), "num")});
    }
    pg.table("doses", "Doses given (accepted dose events)", {"time (UTC)", "drug", "route", "mg", "cumulative mg"},
             rows);
  }

  pg.h2("Alerts", "alerts");
  if (g.alerts.empty()) {
    pg.paragraph("No alert was raised.", "empty");
  } else {
    std::vector<std::vector<cell>> rows;
    for (const auto& al : g.alerts) {
      rows.push_back({hhmm(al.at), cell(std::string(enum_name(al.severity)), severity_cell_class(al.severity)),
                      std::string(enum_name(al.kind)), al.key, al.message, al.event.str()});
    }
    pg.table("alerts", "Alerts raised (a refused dose over a limit raises one too)",
             {"time (UTC)", "severity", "kind", "about", "message", "event"}, rows);
  }

  pg.h2("Rejected events", "rejected");
  if (g.rejections.empty()) {
    pg.paragraph("No event was rejected.", "empty");
  } else {
    std::vector<std::vector<cell>> rows;
    for (const auto& r : g.rejections) {
      std::string unmet;
      if (r.d) {
        for (const auto& u : r.d->unmet) {
          if (!unmet.empty()) unmet += "; ";
          unmet += u.requirement + ": " + u.message;
        }
      }
      rows.push_back({hhmm(r.e->at), r.e->id.str(), event_type_name(*r.e), std::string(to_string(r.e->actor.role)),
                      r.d && r.d->code ? std::string(to_string(*r.d->code)) : std::string("-"),
                      r.d ? r.d->message : std::string("-"), unmet.empty() ? std::string("-") : unmet});
    }
    pg.table("rejected", "Events the protocol rejected; a rejected event changed nothing",
             {"time (UTC)", "event", "type", "role", "code", "reason", "unmet requirements"}, rows);
  }
  pg.paragraph("Notes, override justifications and abort reasons are free text and are never shown in reports.",
               "note");
  return pg.finish();
}

std::string render_session_text(const session_report_input& in) {
  const digest g = digest_session(in);
  const auto& th = in.protocol.vitals;
  const vitals_limits hold = hold_for_age(th, g.age);  // the subject's, by screening age
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) { out += pad(key, 9) + terminal_safe(value) + "\n"; };
  out += terminal_safe("kap session report: " + in.session + (in.synthetic ? "   [SYNTHETIC DATA]" : "")) + "\n";
  line("protocol", in.protocol.title.empty() ? in.protocol.id : in.protocol.id + " (" + in.protocol.title + ")");
  line("events", std::to_string(in.events.size()) + " recorded: " + std::to_string(g.accepted) + " accepted, " +
                     std::to_string(g.rejected) + " rejected, " + std::to_string(g.duplicate) + " duplicate");
  if (g.first) {
    line("time", ymd(*g.first) + " " + hhmm(*g.first) + "-" + hhmm(*g.last) + " UTC (" +
                     num(minutes_between(*g.first, *g.last), 0) + " min)");
  }
  std::string phases;
  for (const auto& p : g.phases) phases += (phases.empty() ? "" : " > ") + p.id + " " + hhmm(p.start);
  line("phases", phases.empty() ? std::string("-") : phases);
  double total_mg = 0;
  std::string doses;
  for (const auto& d : g.doses) {
    total_mg += d.mg;
    doses += (doses.empty() ? "" : "; ") + hhmm(d.at) + " " + dose_text(d);
  }
  line("doses", std::to_string(g.doses.size()) + (g.doses.empty() ? "" : " (" + num(total_mg, 2) + " mg): " + doses));
  // Vitals extremes against the limits.
  auto extreme = [](const std::vector<reading>& r, bool want_max) -> std::optional<double> {
    if (r.empty()) return std::nullopt;
    double v = r.front().value;
    for (const auto& p : r) v = want_max ? std::max(v, p.value) : std::min(v, p.value);
    return v;
  };
  auto lim = [](const auto& a, const auto& b) {
    return (a ? num(a->count(), 1) : std::string("-")) + "/" + (b ? num(b->count(), 1) : std::string("-"));
  };
  std::string vit = std::to_string(g.vitals_events) + " readings";
  if (auto s = extreme(g.systolic, true)) {
    const auto d = extreme(g.diastolic, true);
    vit += "; BP max " + num(*s, 1) + "/" + (d ? num(*d, 1) : std::string("-")) + " mmHg (hold " +
           lim(hold.systolic_max, hold.diastolic_max) + ", critical " +
           lim(th.critical.systolic_max, th.critical.diastolic_max) + ")";
  }
  if (auto h = extreme(g.heart_rate, true)) vit += "; HR max " + num(*h, 1) + "/min";
  if (auto o = extreme(g.spo2, false)) {
    vit += "; SpO2 min " + num(*o, 1) + "%";
    if (hold.spo2_min) vit += " (hold " + num(hold.spo2_min->count(), 1) + "%)";
  }
  line("vitals", vit);
  std::size_t crit = 0;
  for (const auto& al : g.alerts) crit += al.severity == alert_severity::critical ? 1U : 0U;
  line("alerts", std::to_string(g.alerts.size()) + " (" + std::to_string(crit) + " critical)");
  for (const auto& al : g.alerts) {
    line("", hhmm(al.at) + " " + pad(enum_name(al.severity), 8) + " " + al.message);
  }
  line("rejected", std::to_string(g.rejections.size()));
  for (const auto& r : g.rejections) {
    line("", hhmm(r.e->at) + " " + pad(r.e->id.str(), 8) + " " + pad(event_type_name(*r.e), 13) + " " +
                 pad(r.d && r.d->code ? to_string(*r.d->code) : std::string_view("-"), 20) + " " +
                 (r.d ? r.d->message : std::string("-")));
  }
  out += std::string(disclaimer) + "\n";
  return out;
}

}  // namespace kap::reports
