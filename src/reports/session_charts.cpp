// The session report's figures (session_report_private.hpp): the phase timeline and the vital-sign
// panels, as SVG, against one time axis.
#include "session_report_private.hpp"

#include "svg.hpp"

#include <kap/core/enum_name.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap::reports::detail {

namespace {

// The time axis of every session chart: minutes from the first accepted event, ticks on round
// clock minutes with labels that do not overlap.
struct time_axis {
  timestamp t0;
  double span = 1;  // minutes shown
  linear_scale x;
  std::vector<tick> ticks;
  std::string title;
};

time_axis make_time_axis(const digest& g, const frame& f) {
  time_axis a;
  a.t0 = g.first.value_or(timestamp{});
  const double total = g.first ? minutes_between(*g.first, *g.last) : 0.0;
  a.span = std::max(10.0, total * 1.04 + 2.0);
  a.x = linear_scale{0, a.span, f.x, f.right()};
  const double px_per_min = f.w / a.span;
  const double label_room = text_width("00:00", 11) + 10;
  constexpr std::array<int, 12> steps{1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720};
  int step = steps.back();
  for (const int s : steps) {
    if (s * px_per_min >= label_room) {
      step = s;
      break;
    }
  }
  const auto day_start = std::chrono::floor<std::chrono::days>(a.t0);
  const double offset = minutes_between(day_start, a.t0);  // minute of the day of t0
  const double first = std::ceil(offset / step) * step - offset;
  for (int k = 0; first + k * step <= a.span + 1e-9; ++k) {
    const double m = first + k * step;
    const timestamp t = a.t0 + std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(m * 60000.0)));
    a.ticks.push_back({m, hhmm(t)});
  }
  if (g.first && ymd(*g.first) != ymd(*g.last)) {
    a.title = "time (UTC, HH:MM) from " + ymd(*g.first) + " to " + ymd(*g.last);
  } else {
    a.title = "time (UTC, HH:MM) on " + (g.first ? ymd(*g.first) : std::string("-"));
  }
  return a;
}

double at_x(const time_axis& a, timestamp t) { return a.x(minutes_between(a.t0, t)); }

std::string phase_colour(std::optional<phase_kind> k) {
  if (!k) return "#CFCFCF";
  switch (*k) {
    case phase_kind::screening: return "#BDBDBD";
    case phase_kind::preparation: return "#9CCBEA";
    case phase_kind::dosing: return "#F2C46B";
    case phase_kind::guided_meditation: return "#D9A6C7";
    case phase_kind::monitoring: return "#7FB2D9";
    case phase_kind::integration: return "#7CC9AE";
    case phase_kind::discharge: return "#8F8F8F";
    case phase_kind::aborted: return "#E57373";
    case phase_kind::psychotherapy: return "#A5D6A7";
  }
  return "#CFCFCF";
}

constexpr double chart_width = 1000;
constexpr double margin_left = 84;
constexpr double margin_right = 128;

}  // namespace

// --- the phase timeline ---------------------------------------------------------------------------

std::string timeline_svg(const session_report_input& in, const digest& g) {
  std::vector<legend_entry> legend;
  std::vector<std::optional<phase_kind>> kinds_seen;
  for (const auto& p : g.phases) {
    if (std::find(kinds_seen.begin(), kinds_seen.end(), p.kind) == kinds_seen.end()) kinds_seen.push_back(p.kind);
  }
  for (const auto& k : kinds_seen) {
    legend.push_back(
        {k ? std::string(enum_name(*k)) : std::string("phase not in protocol"), phase_colour(k), swatch::block});
  }
  legend.push_back({"dose", std::string(palette::black), swatch::triangle});
  legend.push_back({"alert: warning", std::string(palette::hold), swatch::diamond});
  legend.push_back({"alert: critical", std::string(palette::critical), swatch::diamond});
  const double legend_w = chart_width - margin_left - margin_right;
  const double lh = legend_height(legend, legend_w);
  const double lane_phase = 36, lane = 24;
  const frame f{margin_left, 14 + lh + 8, legend_w, lane_phase + 2 * lane};
  svg_writer s(chart_width, f.bottom() + 52, "Phase timeline of session " + in.session + " with doses and alerts",
               "chart timeline");
  draw_legend(s, f.x, 10, legend_w, legend);
  if (in.synthetic) draw_watermark(s, f);
  const time_axis a = make_time_axis(g, f);
  // Lane labels.
  const std::array<std::pair<const char*, double>, 3> lanes{{{"phase", f.y + lane_phase / 2},
                                                             {"doses", f.y + lane_phase + lane / 2},
                                                             {"alerts", f.y + lane_phase + lane * 1.5}}};
  for (const auto& [label, y] : lanes) {
    s.text({{"class", "lane-label"},
            {"x", coord(f.x - 8)},
            {"y", coord(y + 4)},
            {"text-anchor", "end"},
            {"font-size", "12"},
            {"fill", "#222222"}},
           label);
  }
  for (double y : {f.y + lane_phase, f.y + lane_phase + lane}) {
    s.leaf("line", {{"class", "lane-line"},
                    {"x1", coord(f.x)},
                    {"x2", coord(f.right())},
                    {"y1", coord(y)},
                    {"y2", coord(y)},
                    {"stroke", "#e3e3e3"}});
  }
  if (!g.first) {
    s.text({{"class", "empty"}, {"x", coord(f.x + 8)}, {"y", coord(f.y + 22)}, {"font-size", "12"}},
           "no accepted events");
  }
  // Phases: a band each; the last one (often a terminal phase entered at the last event) gets a
  // minimum width so it stays visible.
  s.open("g", {{"class", "phases"}});
  for (std::size_t i = 0; i < g.phases.size(); ++i) {
    const auto& p = g.phases[i];
    const double x0 = at_x(a, p.start);
    double x1 = at_x(a, p.end);
    if (i + 1 == g.phases.size()) x1 = std::max(x1, std::min(f.right(), x0 + 14));
    const double w = std::max(2.0, x1 - x0);
    const std::string tip =
        p.id + " " + hhmm(p.start) + "-" + hhmm(p.end) + " (" + num(minutes_between(p.start, p.end), 0) + " min)";
    s.leaf_titled("rect",
                  {{"class", "phase"},
                   {"x", coord(x0)},
                   {"y", coord(f.y + 4)},
                   {"width", coord(w)},
                   {"height", coord(lane_phase - 8)},
                   {"fill", phase_colour(p.kind)},
                   {"stroke", "#ffffff"},
                   {"stroke-width", "1"}},
                  tip);
    if (text_width(p.id, 11) + 6 <= w) {
      s.text({{"class", "phase-label"},
              {"x", coord(x0 + w / 2)},
              {"y", coord(f.y + lane_phase / 2 + 4)},
              {"text-anchor", "middle"},
              {"font-size", "11"},
              {"fill", "#111111"}},
             p.id);
    }
  }
  s.close();
  // Doses: a triangle each with the amount, labels thinned.
  s.open("g", {{"class", "doses"}});
  const double dy = f.y + lane_phase + lane / 2;
  std::vector<double> xs, ws;
  for (const auto& d : g.doses) {
    const double x = at_x(a, d.at);
    xs.push_back(x);
    ws.push_back(text_width(num(d.mg, 2) + " mg", 10));
    s.leaf_titled("path",
                  {{"class", "dose-marker"},
                   {"d", cat("M", coord(x), " ", coord(dy + 6), " l-6 -11 h12 z")},
                   {"fill", std::string(palette::black)}},
                  hhmm(d.at) + " " + dose_text(d));
  }
  // Labels right of each marker: shift the centres so thinning sees the real extents.
  std::vector<double> centres;
  for (std::size_t i = 0; i < xs.size(); ++i) centres.push_back(xs[i] + 9 + ws[i] / 2);
  for (const std::size_t i : thin_labels(centres, ws, 4)) {
    s.text({{"class", "dose-label"},
            {"x", coord(xs[i] + 9)},
            {"y", coord(dy + 4)},
            {"font-size", "10"},
            {"fill", "#111111"}},
           num(g.doses[i].mg, 2) + " mg");
  }
  s.close();
  // Alerts.
  s.open("g", {{"class", "alerts"}});
  const double ay = f.y + lane_phase + lane * 1.5;
  for (const auto& al : g.alerts) {
    const double x = at_x(a, al.at);
    const bool crit = al.severity == alert_severity::critical;
    s.leaf_titled("path",
                  {{"class", crit ? "alert-marker critical" : "alert-marker warning"},
                   {"d", cat("M", coord(x), " ", coord(ay - 7), " l7 7 l-7 7 l-7 -7 z")},
                   {"fill", std::string(crit ? palette::critical : palette::hold)}},
                  hhmm(al.at) + " " + std::string(enum_name(al.severity)) + ": " + al.message);
  }
  s.close();
  draw_x_axis(s, f, a.x, a.ticks, a.title);
  return s.finish();
}

// --- a vitals panel -------------------------------------------------------------------------------

std::string vitals_svg(const session_report_input& in, const digest& g, std::string_view title, std::string_view unit,
                       std::string_view y_title, const std::vector<series>& data, const std::vector<threshold>& limits,
                       std::optional<double> clamp_max) {
  std::vector<legend_entry> legend;
  for (const auto& sr : data) legend.push_back({sr.label, sr.colour, swatch::line});
  bool any_hold = false, any_crit = false;
  for (const auto& t : limits) (t.critical ? any_crit : any_hold) = true;
  if (any_hold) legend.push_back({"hold limit (dosing waits)", std::string(palette::hold), swatch::dashed});
  if (any_crit) legend.push_back({"critical limit", std::string(palette::critical), swatch::dashed});
  if (!g.doses.empty()) legend.push_back({"dose", std::string(palette::grey), swatch::triangle});
  const double plot_w = chart_width - margin_left - margin_right;
  const double lh = legend_height(legend, plot_w);
  const frame f{margin_left, 14 + lh + 10, plot_w, 190};
  svg_writer s(chart_width, f.bottom() + 52, std::string(title) + " of session " + in.session, "chart vitals");
  draw_legend(s, f.x, 10, plot_w, legend);
  const time_axis a = make_time_axis(g, f);

  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  std::size_t n = 0;
  for (const auto& sr : data) {
    for (const auto& p : *sr.points) {
      lo = std::min(lo, p.value);
      hi = std::max(hi, p.value);
      ++n;
    }
  }
  for (const auto& t : limits) {
    lo = std::min(lo, t.value);
    hi = std::max(hi, t.value);
  }
  if (!std::isfinite(lo)) {
    lo = 0;
    hi = 100;
  }
  const double pad = std::max(2.0, (hi - lo) * 0.08);
  lo -= pad;
  hi += pad;
  if (clamp_max) hi = std::min(hi, *clamp_max);
  lo = std::max(0.0, lo);
  const double step = nice_step(lo, hi, 5);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  const linear_scale y{lo, hi, f.bottom(), f.y};
  std::vector<tick> yt;
  for (const double v : nice_ticks(lo, hi, 5)) yt.push_back({v, num(v, 1)});
  draw_y_axis(s, f, y, yt, y_title);
  if (in.synthetic) draw_watermark(s, f);

  // Thresholds, labelled in the right margin without overlap.
  s.open("g", {{"class", "thresholds"}});
  std::vector<std::pair<double, const threshold*>> labels;
  for (const auto& t : limits) {
    const double py = y(t.value);
    const std::string colour(t.critical ? palette::critical : palette::hold);
    s.leaf_titled("line",
                  {{"class", t.critical ? "threshold critical" : "threshold hold"},
                   {"x1", coord(f.x)},
                   {"x2", coord(f.right())},
                   {"y1", coord(py)},
                   {"y2", coord(py)},
                   {"stroke", colour},
                   {"stroke-width", "1.5"},
                   {"stroke-dasharray", t.critical ? "8 4" : "4 3"}},
                  t.label + " " + num(t.value, 1) + " " + std::string(unit));
    labels.emplace_back(py, &t);
  }
  std::sort(labels.begin(), labels.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  double last_y = -1e9;
  for (auto& [py, t] : labels) {
    const double ly = std::max(py + 4, last_y + 12);
    last_y = ly;
    s.text({{"class", "threshold-label"},
            {"x", coord(f.right() + 6)},
            {"y", coord(ly)},
            {"font-size", "10"},
            {"fill", std::string(t->critical ? palette::critical : palette::hold)}},
           t->label + " " + num(t->value, 1));
  }
  s.close();

  // Doses: vertical lines across the plot.
  s.open("g", {{"class", "dose-lines"}});
  for (const auto& d : g.doses) {
    const double x = at_x(a, d.at);
    s.leaf_titled("line",
                  {{"class", "dose-line"},
                   {"x1", coord(x)},
                   {"x2", coord(x)},
                   {"y1", coord(f.y)},
                   {"y2", coord(f.bottom())},
                   {"stroke", std::string(palette::grey)},
                   {"stroke-width", "1"},
                   {"stroke-dasharray", "2 3"}},
                  hhmm(d.at) + " " + dose_text(d));
    s.leaf("path", {{"class", "dose-marker"},
                    {"d", cat("M", coord(x), " ", coord(f.y + 6), " l-5 -9 h10 z")},
                    {"fill", std::string(palette::grey)}});
  }
  s.close();

  // The series.
  for (const auto& sr : data) {
    s.open("g", {{"class", "series " + sr.css}});
    std::string d;
    for (const auto& p : *sr.points) {
      d += (d.empty() ? "M" : " L") + coord(at_x(a, p.at)) + " " + coord(y(p.value));
    }
    if (sr.points->size() > 1) {
      s.leaf("path",
             {{"class", "line " + sr.css}, {"d", d}, {"fill", "none"}, {"stroke", sr.colour}, {"stroke-width", "2"}});
    }
    for (const auto& p : *sr.points) {
      s.leaf_titled("circle",
                    {{"class", "point " + sr.css},
                     {"cx", coord(at_x(a, p.at))},
                     {"cy", coord(y(p.value))},
                     {"r", "3.5"},
                     {"fill", sr.colour}},
                    hhmm(p.at) + " " + sr.label + " " + num(p.value, 1) + " " + std::string(unit));
    }
    s.close();
  }
  if (n == 0) {
    s.text({{"class", "empty"},
            {"x", coord(f.x + f.w / 2)},
            {"y", coord(f.y + f.h / 2)},
            {"text-anchor", "middle"},
            {"font-size", "13"},
            {"fill", "#777777"}},
           "no readings recorded");
  }
  draw_x_axis(s, f, a.x, a.ticks, a.title);
  return s.finish();
}

}  // namespace kap::reports::detail
