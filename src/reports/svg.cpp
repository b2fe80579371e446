#include "svg.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace kap::reports::detail {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char c) noexcept { return (c & 0xC0U) == 0x80U; }

// The length of the valid UTF-8 sequence starting at t[i] (a non-ASCII lead byte), or 0.
std::size_t sequence_length(std::string_view t, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[i + k]); };
  const unsigned char c = b(0);
  const std::size_t left = t.size() - i;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && continuation(b(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !continuation(b(1)) || !continuation(b(2))) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;                   // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;                   // surrogates
    if (c == 0xEF && b(1) == 0xBF && b(2) >= 0xBE) return 0;  // U+FFFE, U+FFFF: not XML characters
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !continuation(b(1)) || !continuation(b(2)) || !continuation(b(3))) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool is_c1(std::string_view t, std::size_t i, std::size_t len) noexcept {
  return len == 2 && static_cast<unsigned char>(t[i]) == 0xC2 && static_cast<unsigned char>(t[i + 1]) < 0xA0;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            out += replacement;
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const std::size_t len = sequence_length(text, i);
    if (len == 0 || is_c1(text, i, len)) {
      out += replacement;
      i += len == 0 ? 1 : len;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\t' || c == '\n' || c == '\r') {
        out.push_back(' ');
      } else if (c < 0x20 || c == 0x7F) {
        out.push_back('?');
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const std::size_t len = sequence_length(text, i);
    if (len == 0 || is_c1(text, i, len)) {
      out.push_back('?');
      i += len == 0 ? 1 : len;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
  if (ec != std::errc{}) return "-";
  std::string s(buf.data(), end);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string coord(double v) { return num(std::isfinite(v) ? v : 0.0, 1); }

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (c >= 0x80) len = std::max<std::size_t>(1, sequence_length(text, i));
    i += len;
    ++n;
  }
  return n;
}

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(utf8_length(text)) * font_size * 0.68;
}

double linear_scale::operator()(double v) const {
  if (!std::isfinite(v) || d1 == d0) return r0;
  return r0 + (v - d0) * (r1 - r0) / (d1 - d0);
}

double nice_step(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return 1;
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double unit = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return unit * mag;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> out;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return out;
  if (!(hi > lo)) hi = lo + 1;
  const double step = nice_step(lo, hi, target);
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int k = 0; k < 1000; ++k) {
    const double v = first + step * k;
    if (v > hi + step * 1e-9) break;
    out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return out;
}

std::vector<std::size_t> thin_labels(const std::vector<double>& xs, const std::vector<double>& widths, double gap) {
  std::vector<std::size_t> kept;
  const std::size_t n = std::min(xs.size(), widths.size());
  auto left = [&](std::size_t i) { return xs[i] - widths[i] / 2; };
  auto right = [&](std::size_t i) { return xs[i] + widths[i] / 2; };
  for (std::size_t i = 0; i < n; ++i) {
    if (kept.empty() || left(i) >= right(kept.back()) + gap) kept.push_back(i);
  }
  if (n > 0 && kept.back() != n - 1) {
    while (!kept.empty() && left(n - 1) < right(kept.back()) + gap) kept.pop_back();
    kept.push_back(n - 1);
  }
  return kept;
}

// --- svg_writer ---------------------------------------------------------------------------------

svg_writer::svg_writer(double width, double height, std::string_view title, std::string_view cls)
    : width_(width), height_(height) {
  out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\"";
  write_attrs({{"class", std::string(cls)},
               {"width", coord(width)},
               {"height", coord(height)},
               {"viewBox", "0 0 " + coord(width) + " " + coord(height)},
               {"role", "img"},
               {"font-family", "sans-serif"}});
  out_ += "><title>" + escape(title) + "</title>";
  out_ += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + coord(width) + "\" height=\"" + coord(height) +
          "\" fill=\"#ffffff\"/>";
}

void svg_writer::write_attrs(std::initializer_list<attr> attrs) {
  for (const attr& a : attrs) {
    out_.push_back(' ');
    out_.append(a.name);
    out_ += "=\"";
    out_ += escape(a.value);
    out_.push_back('"');
  }
}

void svg_writer::open(std::string_view tag, std::initializer_list<attr> attrs) {
  out_.push_back('<');
  out_.append(tag);
  write_attrs(attrs);
  out_.push_back('>');
  stack_.emplace_back(tag);
}

void svg_writer::close() {
  if (stack_.empty()) return;
  out_ += "</" + stack_.back() + ">";
  stack_.pop_back();
}

void svg_writer::leaf(std::string_view tag, std::initializer_list<attr> attrs) {
  out_.push_back('<');
  out_.append(tag);
  write_attrs(attrs);
  out_ += "/>";
}

void svg_writer::leaf_titled(std::string_view tag, std::initializer_list<attr> attrs, std::string_view tooltip) {
  out_.push_back('<');
  out_.append(tag);
  write_attrs(attrs);
  out_ += "><title>" + escape(tooltip) + "</title></";
  out_.append(tag);
  out_.push_back('>');
}

void svg_writer::text(std::initializer_list<attr> attrs, std::string_view content) {
  out_ += "<text";
  write_attrs(attrs);
  out_ += cat(">", escape(content), "</text>");
}

std::string svg_writer::finish() {
  while (!stack_.empty()) close();
  out_ += "</svg>";
  return std::move(out_);
}

// --- axes, legend -------------------------------------------------------------------------------

void draw_y_axis(svg_writer& s, const frame& f, const linear_scale& y, const std::vector<tick>& ticks,
                 std::string_view title) {
  s.open("g", {{"class", "axis axis-y"}});
  for (const tick& t : ticks) {
    const double py = y(t.value);
    s.leaf("line", {{"class", "grid"},
                    {"x1", coord(f.x)},
                    {"x2", coord(f.right())},
                    {"y1", coord(py)},
                    {"y2", coord(py)},
                    {"stroke", "#e3e3e3"},
                    {"stroke-width", "1"}});
    s.text({{"class", "tick-y"},
            {"x", coord(f.x - 6)},
            {"y", coord(py + 4)},
            {"text-anchor", "end"},
            {"font-size", "11"},
            {"fill", "#333333"}},
           t.label);
  }
  s.leaf("line", {{"class", "axis-line"},
                  {"x1", coord(f.x)},
                  {"x2", coord(f.x)},
                  {"y1", coord(f.y)},
                  {"y2", coord(f.bottom())},
                  {"stroke", "#555555"},
                  {"stroke-width", "1"}});
  const double tx = f.x - 46;
  const double ty = f.y + f.h / 2;
  s.text({{"class", "axis-title"},
          {"x", coord(tx)},
          {"y", coord(ty)},
          {"text-anchor", "middle"},
          {"font-size", "12"},
          {"fill", "#222222"},
          {"transform", "rotate(-90 " + coord(tx) + " " + coord(ty) + ")"}},
         title);
  s.close();
}

void draw_x_axis(svg_writer& s, const frame& f, const linear_scale& x, const std::vector<tick>& ticks,
                 std::string_view title, const std::vector<tick>& second_row) {
  constexpr double font = 11;
  s.open("g", {{"class", "axis axis-x"}});
  s.leaf("line", {{"class", "axis-line"},
                  {"x1", coord(f.x)},
                  {"x2", coord(f.right())},
                  {"y1", coord(f.bottom())},
                  {"y2", coord(f.bottom())},
                  {"stroke", "#555555"},
                  {"stroke-width", "1"}});
  std::vector<double> xs;
  std::vector<double> widths;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    xs.push_back(x(ticks[i].value));
    double w = text_width(ticks[i].label, font);
    if (i < second_row.size()) w = std::max(w, text_width(second_row[i].label, font));
    widths.push_back(w);
  }
  for (const double px : xs) {
    s.leaf("line", {{"class", "tick-mark"},
                    {"x1", coord(px)},
                    {"x2", coord(px)},
                    {"y1", coord(f.bottom())},
                    {"y2", coord(f.bottom() + 4)},
                    {"stroke", "#555555"},
                    {"stroke-width", "1"}});
  }
  for (const std::size_t i : thin_labels(xs, widths, 6)) {
    s.text({{"class", "tick-x"},
            {"x", coord(xs[i])},
            {"y", coord(f.bottom() + 16)},
            {"text-anchor", "middle"},
            {"font-size", "11"},
            {"fill", "#333333"}},
           ticks[i].label);
    if (i < second_row.size()) {
      s.text({{"class", "tick-x2"},
              {"x", coord(xs[i])},
              {"y", coord(f.bottom() + 29)},
              {"text-anchor", "middle"},
              {"font-size", "11"},
              {"fill", "#666666"}},
             second_row[i].label);
    }
  }
  s.text({{"class", "axis-title"},
          {"x", coord(f.x + f.w / 2)},
          {"y", coord(f.bottom() + (second_row.empty() ? 34 : 47))},
          {"text-anchor", "middle"},
          {"font-size", "12"},
          {"fill", "#222222"}},
         title);
  s.close();
}

namespace {
constexpr double legend_row = 18;
double entry_width(const legend_entry& e) { return 22 + 5 + text_width(e.label, 11) + 14; }
}  // namespace

double legend_height(const std::vector<legend_entry>& entries, double max_width) {
  if (entries.empty()) return 0;
  double x = 0;
  int rows = 1;
  for (const auto& e : entries) {
    const double w = entry_width(e);
    if (x > 0 && x + w > max_width) {
      ++rows;
      x = 0;
    }
    x += w;
  }
  return rows * legend_row;
}

void draw_legend(svg_writer& s, double x0, double y0, double max_width, const std::vector<legend_entry>& entries) {
  s.open("g", {{"class", "legend"}});
  double x = 0;
  double y = y0 + 9;
  for (const auto& e : entries) {
    const double w = entry_width(e);
    if (x > 0 && x + w > max_width) {
      x = 0;
      y += legend_row;
    }
    const double sx = x0 + x;
    const std::string color(e.color);
    switch (e.kind) {
      case swatch::line:
      case swatch::dashed:
        s.leaf("line", {{"class", "legend-swatch"},
                        {"x1", coord(sx)},
                        {"x2", coord(sx + 22)},
                        {"y1", coord(y)},
                        {"y2", coord(y)},
                        {"stroke", color},
                        {"stroke-width", "2.5"},
                        {"stroke-dasharray", e.kind == swatch::dashed ? "6 4" : "none"}});
        break;
      case swatch::area:
      case swatch::block:
        s.leaf("rect", {{"class", "legend-swatch"},
                        {"x", coord(sx)},
                        {"y", coord(y - 6)},
                        {"width", "22"},
                        {"height", "12"},
                        {"fill", color},
                        {"fill-opacity", e.kind == swatch::area ? "0.35" : "1"},
                        {"stroke", e.kind == swatch::area ? color : std::string("#9E9E9E")},
                        {"stroke-width", "1"}});
        break;
      case swatch::point:
        s.leaf("circle",
               {{"class", "legend-swatch"}, {"cx", coord(sx + 11)}, {"cy", coord(y)}, {"r", "4"}, {"fill", color}});
        break;
      case swatch::triangle:
        s.leaf("path", {{"class", "legend-swatch"},
                        {"d", cat("M", coord(sx + 11), " ", coord(y + 5), " l-6 -10 h12 z")},
                        {"fill", color}});
        break;
      case swatch::diamond:
        s.leaf("path", {{"class", "legend-swatch"},
                        {"d", cat("M", coord(sx + 11), " ", coord(y - 6), " l6 6 l-6 6 l-6 -6 z")},
                        {"fill", color}});
        break;
    }
    s.text({{"class", "legend-label"},
            {"x", coord(sx + 27)},
            {"y", coord(y + 4)},
            {"font-size", "11"},
            {"fill", "#222222"}},
           e.label);
    x += w;
  }
  s.close();
}

void draw_watermark(svg_writer& s, const frame& f) {
  const double cx = f.x + f.w / 2;
  const double cy = f.y + f.h / 2;
  s.text({{"class", "watermark"},
          {"x", coord(cx)},
          {"y", coord(cy)},
          {"text-anchor", "middle"},
          {"dominant-baseline", "middle"},
          {"font-size", "44"},
          {"font-weight", "bold"},
          {"fill", "#C62828"},
          {"fill-opacity", "0.10"},
          {"transform", "rotate(-14 " + coord(cx) + " " + coord(cy) + ")"}},
         "SYNTHETIC DATA");
}

std::string_view palette::series(std::size_t i) noexcept {
  constexpr std::array<std::string_view, 7> colours{blue, vermillion, green, purple, orange, sky, black};
  return colours[i % colours.size()];
}

}  // namespace kap::reports::detail
