#include <kap/reports/report.hpp>

#include "page.hpp"
#include "svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap::reports {

using namespace detail;

namespace {

constexpr double chart_width = 1000;
constexpr double margin_left = 76;
constexpr double margin_right = 40;

double clamp01(double v) { return std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0.0; }

std::string percent(double p) { return num(clamp01(p) * 100.0, 0) + "%"; }

std::string rate_text(const std::optional<rate>& r) {
  if (!r) return "-";
  return percent(r->estimate) + " (" + num(clamp01(r->lower) * 100.0, 0) + "-" + num(clamp01(r->upper) * 100.0, 0) +
         "%)";
}

std::string median_text(const std::optional<median_time>& m, std::string_view unit) {
  if (!m) return "not reached";
  std::string s = num(m->estimate, 1) + " " + std::string(unit) + " (";
  s += m->lower ? num(*m->lower, 1) : std::string("-");
  s += " to ";
  s += m->upper ? num(*m->upper, 1) : std::string("not reached");
  return s + ")";
}

std::string arm_label(const cohort_arm& a) { return a.name + " (n=" + std::to_string(a.n) + ")"; }

// --- Kaplan-Meier curves ------------------------------------------------------------------------

std::string km_svg(const cohort_report_input& in) {
  const double plot_w = chart_width - margin_left - margin_right;
  std::vector<legend_entry> legend;
  for (std::size_t i = 0; i < in.arms.size(); ++i) {
    legend.push_back({arm_label(in.arms[i]), std::string(palette::series(i)), swatch::line});
  }
  legend.push_back({"95% interval (shaded)", "#9E9E9E", swatch::area});
  legend.push_back({"50%: the median time to response", std::string(palette::grey), swatch::dashed});
  const double lh = legend_height(legend, plot_w);
  const frame f{margin_left, 14 + lh + 10, plot_w, 300};
  svg_writer s(chart_width, f.bottom() + 52, "Kaplan-Meier curves of time to first response, by arm", "chart km");
  draw_legend(s, f.x, 10, plot_w, legend);

  double max_t = 1;
  for (const auto& a : in.arms) {
    for (const auto& p : a.time_to_response) {
      if (std::isfinite(p.time)) max_t = std::max(max_t, p.time);
    }
  }
  const double span = max_t * 1.05;
  const linear_scale x{0, span, f.x, f.right()};
  const linear_scale y{0, 1, f.bottom(), f.y};
  std::vector<tick> yt;
  for (const double v : {0.0, 0.25, 0.5, 0.75, 1.0}) yt.push_back({v, num(v * 100, 0) + "%"});
  draw_y_axis(s, f, y, yt, "not yet responded (%)");
  std::vector<tick> xt;
  const double step = std::max(1.0, nice_step(0, span, 10));  // whole sessions or days
  for (int k = 0; k * step <= span + 1e-9; ++k) xt.push_back({k * step, num(k * step, 1)});
  if (in.synthetic) draw_watermark(s, f);
  s.leaf("line", {{"class", "median-line"},
                  {"x1", coord(f.x)},
                  {"x2", coord(f.right())},
                  {"y1", coord(y(0.5))},
                  {"y2", coord(y(0.5))},
                  {"stroke", std::string(palette::grey)},
                  {"stroke-width", "1"},
                  {"stroke-dasharray", "5 4"}});

  for (std::size_t i = 0; i < in.arms.size(); ++i) {
    const auto& a = in.arms[i];
    const std::string colour(palette::series(i));
    std::vector<km_point> steps;
    for (const auto& p : a.time_to_response) {
      if (std::isfinite(p.time) && p.time >= 0) steps.push_back(p);
    }
    std::stable_sort(steps.begin(), steps.end(), [](const km_point& l, const km_point& r) { return l.time < r.time; });
    // Each curve ends at its arm's last step (the longest follow-up), not at the longest arm's.
    const double end_t = steps.empty() ? 0.0 : steps.back().time;
    s.open("g", {{"class", "arm km-arm"}, {"data-arm", a.name}});
    // The interval band: upper edge forward, lower edge back.
    if (!steps.empty()) {
      std::string band = "M" + coord(x(0)) + " " + coord(y(1));
      double prev = 1;
      for (const auto& p : steps) {
        band +=
            " L" + coord(x(p.time)) + " " + coord(y(prev)) + " L" + coord(x(p.time)) + " " + coord(y(clamp01(p.upper)));
        prev = clamp01(p.upper);
      }
      band += " L" + coord(x(end_t)) + " " + coord(y(prev));
      band += " L" + coord(x(end_t)) + " " + coord(y(clamp01(steps.back().lower)));
      for (std::size_t k = steps.size(); k-- > 0;) {
        const double before = k == 0 ? 1.0 : clamp01(steps[k - 1].lower);
        band += " L" + coord(x(steps[k].time)) + " " + coord(y(clamp01(steps[k].lower))) + " L" +
                coord(x(steps[k].time)) + " " + coord(y(before));
      }
      band += " L" + coord(x(0)) + " " + coord(y(1)) + " Z";
      s.leaf("path",
             {{"class", "km-band"}, {"d", band}, {"fill", colour}, {"fill-opacity", "0.13"}, {"stroke", "none"}});
    }
    // The step curve.
    std::string d = cat("M", coord(x(0)), " ", coord(y(1)));
    double prev = 1;
    for (const auto& p : steps) {
      d += " H" + coord(x(p.time)) + " V" + coord(y(clamp01(p.survival)));
      prev = clamp01(p.survival);
    }
    d += " H" + coord(x(end_t));
    s.leaf_titled("path",
                  {{"class", "km-curve"}, {"d", d}, {"fill", "none"}, {"stroke", colour}, {"stroke-width", "2.2"}},
                  arm_label(a) + ": median " + median_text(a.median_time_to_response, in.time_unit) +
                      ", not yet responded at the end " + percent(prev));
    if (a.median_time_to_response && std::isfinite(a.median_time_to_response->estimate)) {
      const double mx = x(a.median_time_to_response->estimate);
      s.leaf_titled("line",
                    {{"class", "km-median"},
                     {"x1", coord(mx)},
                     {"x2", coord(mx)},
                     {"y1", coord(y(0.5))},
                     {"y2", coord(f.bottom())},
                     {"stroke", colour},
                     {"stroke-width", "1.5"},
                     {"stroke-dasharray", "2 3"}},
                    a.name + " median " + median_text(a.median_time_to_response, in.time_unit));
    }
    s.close();
  }
  if (in.arms.empty()) {
    s.text({{"class", "empty"},
            {"x", coord(f.x + f.w / 2)},
            {"y", coord(f.y + f.h / 2)},
            {"text-anchor", "middle"},
            {"font-size", "13"}},
           "no arms");
  }
  draw_x_axis(s, f, x, xt, "time to first response (" + in.time_unit + ")");
  return s.finish();
}

// --- rates with interval bars -------------------------------------------------------------------

std::string rates_svg(const cohort_report_input& in) {
  const double plot_w = chart_width - margin_left - margin_right;
  const std::vector<legend_entry> legend{
      {"response (reduction of at least 50%)", std::string(palette::blue), swatch::area},
      {"remission", std::string(palette::green), swatch::area},
      {"95% interval", std::string(palette::black), swatch::line}};
  const double lh = legend_height(legend, plot_w);
  const frame f{margin_left, 14 + lh + 10, plot_w, 260};
  svg_writer s(chart_width, f.bottom() + 52, "Response and remission rates with 95% intervals, by arm", "chart rates");
  draw_legend(s, f.x, 10, plot_w, legend);
  const double n = std::max<double>(1, static_cast<double>(in.arms.size()));
  const linear_scale x{-0.5, n - 0.5, f.x, f.right()};
  const linear_scale y{0, 1, f.bottom(), f.y};
  std::vector<tick> yt;
  for (const double v : {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}) yt.push_back({v, num(v * 100, 0) + "%"});
  draw_y_axis(s, f, y, yt, "courses (%)");
  if (in.synthetic) draw_watermark(s, f);
  const double group = f.w / n;
  const double bar = std::min(60.0, group * 0.3);
  std::vector<tick> xt;
  for (std::size_t i = 0; i < in.arms.size(); ++i) {
    const auto& a = in.arms[i];
    const double cx = x(static_cast<double>(i));
    xt.push_back({static_cast<double>(i), arm_label(a)});
    s.open("g", {{"class", "arm rates-arm"}, {"data-arm", a.name}});
    const std::array<std::pair<const std::optional<rate>*, const char*>, 2> both{
        {{&a.response, "response"}, {&a.remission, "remission"}}};
    for (std::size_t k = 0; k < both.size(); ++k) {
      const auto& [r, what] = both[k];
      const double bx = cx + (k == 0 ? -bar - 4 : 4);
      const std::string colour(k == 0 ? palette::blue : palette::green);
      if (!*r) {
        s.text({{"class", "bar-label"},
                {"x", coord(bx + bar / 2)},
                {"y", coord(f.bottom() - 6)},
                {"text-anchor", "middle"},
                {"font-size", "11"}},
               "n/a");
        continue;
      }
      const double est = clamp01((*r)->estimate);
      s.leaf_titled("rect",
                    {{"class", std::string("bar ") + what},
                     {"x", coord(bx)},
                     {"y", coord(y(est))},
                     {"width", coord(bar)},
                     {"height", coord(f.bottom() - y(est))},
                     {"fill", colour},
                     {"fill-opacity", "0.75"}},
                    a.name + " " + what + " " + rate_text(*r));
      const double lo = y(clamp01((*r)->lower));
      const double hi = y(clamp01((*r)->upper));
      const double mx = bx + bar / 2;
      s.leaf("line", {{"class", "interval"},
                      {"x1", coord(mx)},
                      {"x2", coord(mx)},
                      {"y1", coord(lo)},
                      {"y2", coord(hi)},
                      {"stroke", "#000000"},
                      {"stroke-width", "1.5"}});
      for (const double cap : {lo, hi}) {
        s.leaf("line", {{"class", "interval-cap"},
                        {"x1", coord(mx - 6)},
                        {"x2", coord(mx + 6)},
                        {"y1", coord(cap)},
                        {"y2", coord(cap)},
                        {"stroke", "#000000"},
                        {"stroke-width", "1.5"}});
      }
      // The estimate, above the interval (or inside the bar when the interval reaches the top).
      const double ly = hi - 6 > f.y + 8 ? hi - 6 : y(est) + 14;
      s.text({{"class", "bar-label"},
              {"x", coord(mx)},
              {"y", coord(ly)},
              {"text-anchor", "middle"},
              {"font-size", "11"},
              {"fill", "#111111"}},
             percent(est));
    }
    s.close();
  }
  draw_x_axis(s, f, x, xt, "arm (n = courses)");
  return s.finish();
}

}  // namespace

std::string render_cohort_html(const cohort_report_input& in) {
  page pg("Cohort report" + (in.instrument.empty() ? std::string() : ": " + in.instrument), "cohort-report",
          in.synthetic);
  std::vector<std::pair<std::string, std::string>> facts;
  facts.emplace_back("Outcome instrument", in.instrument.empty() ? std::string("-") : in.instrument);
  facts.emplace_back("Arms", std::to_string(in.arms.size()));
  std::size_t total = 0;
  for (const auto& a : in.arms) total += a.n;
  facts.emplace_back("Courses", std::to_string(total));
  pg.facts(facts);

  pg.h2("Time to first response", "km");
  pg.figure(km_svg(in),
            "Kaplan-Meier estimate of the share of courses without a response yet (reduction of at "
            "least 50% from baseline) by " +
                in.time_unit +
                "; courses that ended without a response are censored. Shaded: 95% pointwise interval. "
                "Dotted verticals mark each arm's median.");
  pg.h2("Response and remission", "rates");
  pg.figure(rates_svg(in),
            "Share of usable courses with a response and with remission at the last assessment, with "
            "95% intervals.");
  {
    std::vector<std::vector<cell>> rows;
    for (const auto& a : in.arms) {
      rows.push_back({a.name, cell(std::to_string(a.n), "num"), rate_text(a.response), rate_text(a.remission),
                      median_text(a.median_time_to_response, in.time_unit)});
    }
    pg.table("arms", "Outcomes by arm (95% intervals)",
             {"arm", "n", "response", "remission", "median time to response (interval)"}, rows);
  }
  pg.h2("Data completeness", "completeness");
  {
    std::vector<std::vector<cell>> rows;
    for (const auto& a : in.arms) {
      std::string reasons;
      for (const auto& [why, count] : a.completeness.excluded_by_reason) {
        if (!reasons.empty()) reasons += "; ";
        reasons += why + ": " + std::to_string(count);
      }
      rows.push_back(
          {a.name, cell(std::to_string(a.completeness.total), "num"),
           cell(std::to_string(a.completeness.usable), "num"),
           cell(std::to_string(a.completeness.total - std::min(a.completeness.total, a.completeness.usable)), "num"),
           reasons.empty() ? std::string("-") : reasons});
    }
    pg.table("completeness", "Courses counted, and why the others could not be",
             {"arm", "courses", "usable", "excluded", "excluded by reason"}, rows);
  }
  return pg.finish();
}

std::string render_cohort_text(const cohort_report_input& in) {
  std::string out = terminal_safe("kap cohort report" + (in.instrument.empty() ? std::string() : ": " + in.instrument) +
                                  (in.synthetic ? "   [SYNTHETIC DATA]" : "")) +
                    "\n";
  std::size_t w = 3;
  for (const auto& a : in.arms) w = std::max(w, utf8_length(terminal_safe(a.name)));
  w += 2;
  // The median column is as wide as its longest entry ("12 sessions (10 to not reached)"), plus a gap.
  std::size_t wm = 30;
  for (const auto& a : in.arms) {
    wm = std::max(wm, utf8_length(terminal_safe(median_text(a.median_time_to_response, in.time_unit))) + 2);
  }
  out += pad("arm", w) + pad("n", 6) + pad("response (95% CI)", 20) + pad("remission (95% CI)", 20) +
         pad("median to response (CI)", wm) + "usable\n";
  for (const auto& a : in.arms) {
    out +=
        terminal_safe(pad(a.name, w) + pad(std::to_string(a.n), 6) + pad(rate_text(a.response), 20) +
                      pad(rate_text(a.remission), 20) + pad(median_text(a.median_time_to_response, in.time_unit), wm) +
                      std::to_string(a.completeness.usable) + "/" + std::to_string(a.completeness.total)) +
        "\n";
  }
  if (in.arms.empty()) out += "no arms\n";
  out += std::string(disclaimer) + "\n";
  return out;
}

}  // namespace kap::reports
