#include <kap/reports/report.hpp>

#include "page.hpp"
#include "svg.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/change.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap::reports {

using namespace detail;

result<instrument_course> course_from_catalog(std::string_view instrument, std::vector<score_point> observations) {
  auto id = measures::parse_instrument_id(instrument);
  if (!id) return std::move(id).error();
  if (observations.empty()) return error{errc::missing_field, "a course needs at least one score (the baseline)"};
  const measures::instrument d = measures::describe_instrument(*id);
  if (!d.total_max || *id == measures::instrument_id::ebi) {
    return error{errc::unknown_instrument, d.id + " has no integer total, so it has no course chart"};
  }
  instrument_course c;
  c.instrument = d.id;
  c.name = d.name;
  c.total_max = *d.total_max;
  c.baseline = observations.front().total;
  c.observations = std::move(observations);
  if (!d.band_sets.empty()) c.bands = d.band_sets.front().bands;
  if (d.response_percent && c.baseline > 0) {
    c.response_line = c.baseline * (1.0 - *d.response_percent / 100.0);
  }
  if (!d.remission_rules.empty()) {
    c.remission_line = d.remission_rules.front().max;
    c.remission_rule = d.remission_rules.front().name;
  }
  return c;
}

result<instrument_course> course_from_catalog(std::string_view instrument,
                                              std::span<const measures::course_observation> observations,
                                              std::span<const int> session_of_observation) {
  std::vector<score_point> points;
  points.reserve(observations.size());
  for (std::size_t i = 0; i < observations.size(); ++i) {
    points.push_back({observations[i].day, observations[i].total,
                      i < session_of_observation.size() ? session_of_observation[i] : 0});
  }
  return course_from_catalog(instrument, std::move(points));
}

namespace {

constexpr double chart_width = 1000;
constexpr double margin_left = 76;
constexpr double margin_right = 150;

constexpr std::array<std::string_view, 12> month_abbr{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::chrono::year_month_day date_of(timestamp start, int day) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(start) + std::chrono::days{day}};
}

// "12 Jan"
std::string short_date(timestamp start, int day) {
  const auto d = date_of(start, day);
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         std::string(month_abbr[(static_cast<unsigned>(d.month()) + 11) % 12]);
}

// "2026-01-12"
std::string iso_date(timestamp start, int day) {
  return format_rfc3339(timestamp{std::chrono::sys_days{date_of(start, day)}}).substr(0, 10);
}

std::string display_name(const instrument_course& c) { return c.name.empty() ? c.instrument : c.name; }

std::string day_text(const course_report_input& in, int day) {
  std::string s = "day " + std::to_string(day);
  if (in.start) s += " (" + iso_date(*in.start, day) + ")";
  return s;
}

const std::array<std::string_view, 6> band_fills{"#E3F2E5", "#FFF6D5", "#FFE3BF", "#FFD2C2", "#F9C4C8", "#F2B8BE"};

std::string course_svg(const course_report_input& in, const instrument_course& c) {
  const double plot_w = chart_width - margin_left - margin_right;
  std::vector<legend_entry> legend;
  legend.push_back({"score (points)", std::string(palette::blue), swatch::point});
  legend.push_back({"baseline " + std::to_string(c.baseline), std::string(palette::grey), swatch::dashed});
  if (c.response_line) {
    legend.push_back({"response: at most " + num(*c.response_line, 1) + " (50% below baseline)",
                      std::string(palette::vermillion), swatch::dashed});
  }
  if (c.remission_line) {
    legend.push_back({"remission: at most " + std::to_string(*c.remission_line) +
                          (c.remission_rule.empty() ? std::string() : " (" + c.remission_rule + ")"),
                      std::string(palette::green), swatch::dashed});
  }
  legend.push_back({"session", "#9E9E9E", swatch::line});
  for (std::size_t i = 0; i < c.bands.size(); ++i) {
    const auto& b = c.bands[i];
    legend.push_back({std::string(enum_name(b.band)) + " " + std::to_string(b.min) + "-" + std::to_string(b.max),
                      std::string(band_fills[std::min(i, band_fills.size() - 1)]), swatch::block});
  }
  const double lh = legend_height(legend, plot_w);
  const frame f{margin_left, 14 + lh + 24, plot_w, 260};
  svg_writer s(chart_width, f.bottom() + (in.start ? 66 : 52),
               display_name(c) + " over the course of subject " + in.subject, "chart course");
  draw_legend(s, f.x, 10, plot_w, legend);

  // Axes.
  // Day 0 is intake; an assessment before it (a screening score) widens the axis to the left.
  int min_day = 0;
  int max_day = 1;
  int max_total = std::max(1, c.total_max);
  for (const auto& o : c.observations) {
    min_day = std::min(min_day, o.day);
    max_day = std::max(max_day, o.day);
    max_total = std::max(max_total, o.total);
  }
  const double pad_days = std::max(1.0, (max_day - min_day) * 0.03);
  const double span = max_day + pad_days;
  const double first_day = min_day < 0 ? min_day - pad_days : 0.0;
  const linear_scale x{first_day, span, f.x, f.right()};
  const double top = max_total;
  const linear_scale y{0, top, f.bottom(), f.y};

  // Day ticks: the smallest round step whose labels (and dates) do not touch.
  const double label_w = std::max({text_width(std::to_string(max_day), 11), text_width(std::to_string(min_day), 11),
                                   in.start ? text_width("30 Sep", 11) : 0.0});
  constexpr std::array<int, 11> steps{1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456};
  int step = steps.back();
  for (const int st : steps) {
    if (st * (f.w / (span - first_day)) >= label_w + 10) {
      step = st;
      break;
    }
  }
  std::vector<tick> xt, dates;
  for (int d = min_day < 0 ? -((-min_day + step - 1) / step) * step : 0; d <= span; d += step) {
    if (d < first_day) continue;
    xt.push_back({static_cast<double>(d), std::to_string(d)});
    if (in.start) dates.push_back({static_cast<double>(d), short_date(*in.start, d)});
  }
  std::vector<tick> yt;
  for (const double v : nice_ticks(0, top, 6)) yt.push_back({v, num(v, 1)});

  // Severity bands (behind everything), on half points so each integer total sits inside its band.
  s.open("g", {{"class", "bands"}});
  for (std::size_t i = 0; i < c.bands.size(); ++i) {
    const auto& b = c.bands[i];
    const double lo = std::clamp(b.min - 0.5, 0.0, top);
    const double hi = std::clamp(b.max + 0.5, 0.0, top);
    if (hi <= lo) continue;
    s.leaf_titled("rect",
                  {{"class", "band"},
                   {"x", coord(f.x)},
                   {"y", coord(y(hi))},
                   {"width", coord(f.w)},
                   {"height", coord(y(lo) - y(hi))},
                   {"fill", std::string(band_fills[std::min(i, band_fills.size() - 1)])}},
                  std::string(enum_name(b.band)) + ": " + std::to_string(b.min) + "-" + std::to_string(b.max));
  }
  s.close();
  // The full name when it fits along the axis, else the catalogue id.
  const std::string long_title = display_name(c) + " total (points)";
  draw_y_axis(s, f, y, yt, text_width(long_title, 12) <= f.h ? long_title : c.instrument + " total (points)");
  if (in.synthetic) draw_watermark(s, f);

  // Sessions: a light vertical line at each session's assessment, "S<n>" labels above, thinned.
  s.open("g", {{"class", "sessions"}});
  std::vector<double> sx;
  std::vector<int> sn;
  for (const auto& o : c.observations) {
    if (o.session <= 0 || (!sn.empty() && sn.back() == o.session)) continue;
    if (std::find(sn.begin(), sn.end(), o.session) != sn.end()) continue;
    sx.push_back(x(o.day));
    sn.push_back(o.session);
    s.leaf_titled("line",
                  {{"class", "session-line"},
                   {"x1", coord(x(o.day))},
                   {"x2", coord(x(o.day))},
                   {"y1", coord(f.y)},
                   {"y2", coord(f.bottom())},
                   {"stroke", "#9E9E9E"},
                   {"stroke-width", "1"},
                   {"stroke-opacity", "0.7"}},
                  "session " + std::to_string(o.session) + ", " + day_text(in, o.day));
  }
  std::vector<double> sw;
  for (const int n : sn) sw.push_back(text_width("S" + std::to_string(n), 10));
  for (const std::size_t i : thin_labels(sx, sw, 4)) {
    s.text({{"class", "session-label"},
            {"x", coord(sx[i])},
            {"y", coord(f.y - 6)},
            {"text-anchor", "middle"},
            {"font-size", "10"},
            {"fill", "#555555"}},
           "S" + std::to_string(sn[i]));
  }
  s.close();

  // Reference lines, labelled in the right margin without overlap.
  struct ref {
    std::string label;
    double value;
    std::string css;
    std::string colour;
  };
  std::vector<ref> refs;
  refs.push_back({"baseline " + std::to_string(c.baseline), static_cast<double>(c.baseline), "baseline-line",
                  std::string(palette::grey)});
  if (c.response_line) {
    refs.push_back(
        {"response " + num(*c.response_line, 1), *c.response_line, "response-line", std::string(palette::vermillion)});
  }
  if (c.remission_line) {
    refs.push_back({"remission " + std::to_string(*c.remission_line), static_cast<double>(*c.remission_line),
                    "remission-line", std::string(palette::green)});
  }
  s.open("g", {{"class", "reference-lines"}});
  std::vector<std::pair<double, const ref*>> labels;
  for (const auto& r : refs) {
    const double py = y(std::clamp(r.value, 0.0, top));
    s.leaf("line", {{"class", r.css},
                    {"x1", coord(f.x)},
                    {"x2", coord(f.right())},
                    {"y1", coord(py)},
                    {"y2", coord(py)},
                    {"stroke", r.colour},
                    {"stroke-width", "1.8"},
                    {"stroke-dasharray", "7 4"}});
    labels.emplace_back(py, &r);
  }
  std::sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double last_y = -1e9;
  for (const auto& [py, r] : labels) {
    const double ly = std::max(py + 4, last_y + 13);
    last_y = ly;
    s.text({{"class", "line-label"},
            {"x", coord(f.right() + 6)},
            {"y", coord(ly)},
            {"font-size", "11"},
            {"fill", r->colour}},
           r->label);
  }
  s.close();

  // The scores.
  s.open("g", {{"class", "series score"}});
  std::string d;
  for (const auto& o : c.observations) d += (d.empty() ? "M" : " L") + coord(x(o.day)) + " " + coord(y(o.total));
  if (c.observations.size() > 1) {
    s.leaf("path", {{"class", "line score"},
                    {"d", d},
                    {"fill", "none"},
                    {"stroke", std::string(palette::blue)},
                    {"stroke-width", "2"}});
  }
  for (const auto& o : c.observations) {
    s.leaf_titled("circle",
                  {{"class", "point score"},
                   {"cx", coord(x(o.day))},
                   {"cy", coord(y(o.total))},
                   {"r", "4"},
                   {"fill", std::string(palette::blue)},
                   {"stroke", "#ffffff"},
                   {"stroke-width", "1"}},
                  day_text(in, o.day) + ": " + std::to_string(o.total) + " points" +
                      (o.session > 0 ? ", session " + std::to_string(o.session) : std::string(", baseline")));
  }
  s.close();
  if (c.observations.empty()) {
    s.text({{"class", "empty"},
            {"x", coord(f.x + f.w / 2)},
            {"y", coord(f.y + f.h / 2)},
            {"text-anchor", "middle"},
            {"font-size", "13"},
            {"fill", "#777777"}},
           "no scores recorded");
  }
  const std::string x_title =
      in.start ? "days since intake (day 0 = " + iso_date(*in.start, 0) + "; dates below the day numbers)"
               : std::string("days since intake");
  draw_x_axis(s, f, x, xt, x_title, dates);
  return s.finish();
}

std::string yes_no(std::optional<bool> b) { return !b ? "-" : *b ? "yes" : "no"; }

std::string point_text(const course_report_input& in, const instrument_course& c, const measures::course_point& p) {
  std::string s = std::to_string(p.total) + " on " + day_text(in, c.observations.front().day + p.days_from_baseline);
  const auto idx = static_cast<std::size_t>(p.index);
  if (idx < c.observations.size() && c.observations[idx].session > 0) {
    s += ", session " + std::to_string(c.observations[idx].session);
  }
  return s;
}

struct figures {
  std::optional<measures::change_report> change;
  std::optional<measures::course_summary> summary;
};

figures compute_figures(const instrument_course& c) {
  figures out;
  if (c.observations.empty()) return out;
  auto id = measures::parse_instrument_id(c.instrument);
  if (!id) return out;
  measures::change_options co;
  measures::course_options so;
  if (c.remission_line) {
    // The published rule by name when it is one and gives the same line; else the line itself.
    co.remission_rule = c.remission_rule;
    auto by_name = measures::compute_change(*id, c.observations.front().total, c.observations.back().total, co);
    if (c.remission_rule.empty() || !by_name || by_name->remission_max != c.remission_line) {
      co.remission_rule = {};
      co.remission_max = c.remission_line;
      so.remission_max = c.remission_line;
    } else {
      so.remission_rule = c.remission_rule;
    }
  }
  if (auto ch = measures::compute_change(*id, c.observations.front().total, c.observations.back().total, co)) {
    out.change = *ch;
  }
  std::vector<measures::course_observation> series;
  for (const auto& o : c.observations) series.push_back({o.day, o.total});
  if (auto sm = measures::summarize_course(*id, series, so)) out.summary = *sm;
  return out;
}

std::vector<std::vector<cell>> outcome_rows(const course_report_input& in, const instrument_course& c,
                                            const figures& fg) {
  std::vector<std::vector<cell>> rows;
  if (c.observations.empty()) return rows;
  const auto& first = c.observations.front();
  const auto& last = c.observations.back();
  rows.push_back({"baseline", std::to_string(first.total) + " on " + day_text(in, first.day)});
  rows.push_back({"last assessment", std::to_string(last.total) + " on " + day_text(in, last.day) +
                                         (last.session > 0 ? ", session " + std::to_string(last.session) : "")});
  rows.push_back({"assessments", std::to_string(c.observations.size())});
  if (fg.change) {
    const auto& ch = *fg.change;
    rows.push_back({"change", std::to_string(ch.change) + " points" +
                                  (ch.percent_change ? " (" + num(*ch.percent_change, 1) + "%)" : std::string())});
    if (ch.response) {
      rows.push_back({"response at the last assessment (reduction of at least " +
                          std::to_string(ch.response_percent.value_or(50)) + "%)",
                      cell(yes_no(ch.response), *ch.response ? "yes" : "")});
    }
    if (ch.remission) {
      rows.push_back({"remission at the last assessment (total at most " +
                          std::to_string(ch.remission_max.value_or(0)) +
                          (ch.remission_rule ? ", rule " + *ch.remission_rule : std::string()) + ")",
                      cell(yes_no(ch.remission), *ch.remission ? "yes" : "")});
    }
    if (ch.mcid)
      rows.push_back(
          {"minimal clinically important difference (" + num(*ch.mcid, 1) + " points) met", yes_no(ch.mcid_met)});
    if (ch.rci) {
      rows.push_back({"reliable change index (Jacobson-Truax)",
                      num(*ch.rci, 2) + (ch.reliable.value_or(false) ? " (reliable)" : " (not reliable)")});
    }
    if (ch.category) rows.push_back({"change category", std::string(enum_name(*ch.category))});
  }
  if (fg.summary) {
    const auto& sm = *fg.summary;
    rows.push_back({"first response", sm.first_response ? point_text(in, c, *sm.first_response) : "-"});
    rows.push_back({"first remission", sm.first_remission ? point_text(in, c, *sm.first_remission) : "-"});
    rows.push_back({"sustained response", sm.sustained_response && sm.sustained_since
                                              ? "yes, since " + point_text(in, c, *sm.sustained_since)
                                              : std::string("no")});
    rows.push_back({"best (lowest) score", point_text(in, c, sm.best)});
  }
  return rows;
}

}  // namespace

std::string render_course_html(const course_report_input& in) {
  page pg("Course report: " + in.subject, "course-report", in.synthetic);
  std::vector<std::pair<std::string, std::string>> facts;
  facts.emplace_back("Subject", in.subject);
  if (in.start) facts.emplace_back("Intake (day 0)", iso_date(*in.start, 0));
  std::string names;
  for (const auto& c : in.instruments) names += (names.empty() ? "" : ", ") + c.instrument;
  facts.emplace_back("Instruments", names.empty() ? std::string("-") : names);
  pg.facts(facts);
  if (in.instruments.empty()) pg.paragraph("No instrument scores were given.", "empty");
  for (const auto& c : in.instruments) {
    pg.open_section("instrument");
    pg.h2(display_name(c) + " (" + c.instrument + ")");
    pg.figure(course_svg(in, c),
              display_name(c) + " totals (points, 0-" + std::to_string(c.total_max) +
                  ") by day since intake, over the instrument's published severity bands; dashed lines mark the "
                  "baseline, the response threshold and the remission threshold; grey vertical lines are sessions.");
    const figures fg = compute_figures(c);
    pg.table("outcomes", "Outcome figures (kap::measures; lower totals are better)", {"figure", "value"},
             outcome_rows(in, c, fg));
    pg.close_section();
  }
  return pg.finish();
}

std::string render_course_text(const course_report_input& in) {
  std::string out =
      terminal_safe("kap course report: " + in.subject + (in.synthetic ? "   [SYNTHETIC DATA]" : "")) + "\n";
  if (in.start) out += pad("intake", 10) + iso_date(*in.start, 0) + "\n";
  for (const auto& c : in.instruments) {
    const std::string key = pad(terminal_safe(c.instrument), 10);
    const std::string blank(10, ' ');
    if (c.observations.empty()) {
      out += key + "no scores\n";
      continue;
    }
    const figures fg = compute_figures(c);
    const auto& first = c.observations.front();
    const auto& last = c.observations.back();
    std::string l1 = std::to_string(first.total) + " -> " + std::to_string(last.total) + " (day " +
                     std::to_string(last.day) + ", " + std::to_string(c.observations.size()) + " assessments)";
    if (fg.change) {
      l1 += "  change " + std::to_string(fg.change->change);
      if (fg.change->percent_change) l1 += " (" + num(*fg.change->percent_change, 1) + "%)";
      if (fg.change->response) l1 += "  response " + yes_no(fg.change->response);
      if (fg.change->remission) l1 += "  remission " + yes_no(fg.change->remission);
    }
    out += key + terminal_safe(l1) + "\n";
    if (fg.summary) {
      auto when = [&](const std::optional<measures::course_point>& p) {
        if (!p) return std::string("-");
        const auto idx = static_cast<std::size_t>(p->index);
        std::string s = "day " + std::to_string(c.observations.front().day + p->days_from_baseline);
        if (idx < c.observations.size() && c.observations[idx].session > 0) {
          s += " (session " + std::to_string(c.observations[idx].session) + ")";
        }
        return s;
      };
      out += blank + "first response " + when(fg.summary->first_response) + "  first remission " +
             when(fg.summary->first_remission) + "  sustained " + (fg.summary->sustained_response ? "yes" : "no") +
             "\n";
    }
    std::string scores;
    for (std::size_t i = 0; i < c.observations.size(); ++i) {
      if (c.observations.size() > 14 && i == 7) {
        scores += " ...";
        i = c.observations.size() - 7;
        continue;
      }
      if (!scores.empty()) scores += ' ';
      scores += std::to_string(c.observations[i].total);
    }
    out += blank + "scores " + scores + "\n";
  }
  out += std::string(disclaimer) + "\n";
  return out;
}

}  // namespace kap::reports
