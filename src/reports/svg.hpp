#pragma once

// kap's small SVG and HTML writer, internal to kap::export.
//
// Reports draw a few kinds of chart (lines with points over a time or day axis, step curves,
// interval bars), so this is a writer of well-formed markup with escaping built in, linear
// scales, "nice" ticks, label thinning and a legend - not a plotting library. Every attribute
// value and every text node passes through `escape`, so a caller cannot forget it. The output is
// also well-formed XML (every element closed, attributes quoted), which lets the tests parse it.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace kap::reports::detail {

/// Escapes text for HTML/SVG text and attribute values: & < > " ' become entities; control
/// characters (other than tab, newline, carriage return) and invalid UTF-8 become U+FFFD.
[[nodiscard]] std::string escape(std::string_view text);

/// Makes text safe for a terminal: control characters (C0, DEL, C1) and invalid UTF-8 become '?'.
[[nodiscard]] std::string terminal_safe(std::string_view text);

/// Concatenates text. Used instead of `"literal" + std::string{...}`, which GCC 12 at -O3
/// misreports as overlapping memcpy (-Wrestrict, GCC PR 105329).
template <class... Parts>
[[nodiscard]] std::string cat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ...));
  (out.append(std::string_view(parts)), ...);
  return out;
}

/// A number for a label: at most `decimals` decimals, trailing zeros dropped; "-" when not finite.
[[nodiscard]] std::string num(double v, int decimals = 1);

/// A coordinate: one decimal; non-finite values become 0.
[[nodiscard]] std::string coord(double v);

/// The estimated rendered width of `text` in pixels at `font_size` (sans-serif). Deliberately
/// generous (0.68 em per character), so labels spaced by it do not touch in real fonts.
[[nodiscard]] double text_width(std::string_view text, double font_size);

/// Number of code points in UTF-8 text (invalid bytes count one each).
[[nodiscard]] std::size_t utf8_length(std::string_view text);

/// A linear map from a data domain onto a pixel range.
struct linear_scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  [[nodiscard]] double operator()(double v) const;
};

/// Round tick values covering [lo, hi] with about `target` steps of 1, 2, 2.5 or 5 x 10^k.
[[nodiscard]] std::vector<double> nice_ticks(double lo, double hi, int target);

/// The step `nice_ticks` would use.
[[nodiscard]] double nice_step(double lo, double hi, int target);

/// Indices of the labels to keep so that no two kept labels overlap: labels are centred on
/// `xs` (ascending), `widths` wide, and kept greedily from the first with at least `gap` pixels
/// between neighbours. The last label is preferred over the one before it when both cannot fit.
[[nodiscard]] std::vector<std::size_t> thin_labels(const std::vector<double>& xs, const std::vector<double>& widths,
                                                   double gap);

/// An attribute; the value is escaped when written.
struct attr {
  std::string_view name;
  std::string value;
};

/// Writes one <svg> element.
class svg_writer {
 public:
  /// Opens `<svg>` `width` x `height` pixels with an accessible title and a class.
  svg_writer(double width, double height, std::string_view title, std::string_view cls);

  /// Opens an element with children.
  void open(std::string_view tag, std::initializer_list<attr> attrs);
  /// Closes the element opened last.
  void close();
  /// An empty element.
  void leaf(std::string_view tag, std::initializer_list<attr> attrs);
  /// An element whose only child is a <title> tooltip.
  void leaf_titled(std::string_view tag, std::initializer_list<attr> attrs, std::string_view tooltip);
  /// A <text> element.
  void text(std::initializer_list<attr> attrs, std::string_view content);
  /// Closes every open element and the <svg>; returns the markup.
  [[nodiscard]] std::string finish();

  [[nodiscard]] double width() const noexcept { return width_; }
  [[nodiscard]] double height() const noexcept { return height_; }

 private:
  void write_attrs(std::initializer_list<attr> attrs);
  std::string out_;
  std::vector<std::string> stack_;
  double width_;
  double height_;
};

/// The plot area of a chart, in SVG pixels.
struct frame {
  double x = 0, y = 0, w = 0, h = 0;
  [[nodiscard]] double right() const noexcept { return x + w; }
  [[nodiscard]] double bottom() const noexcept { return y + h; }
};

/// A tick: its data value and its label.
struct tick {
  double value = 0;
  std::string label;
};

/// Draws the y axis: grid lines, tick labels (class "tick-y") and a rotated title (class
/// "axis-title").
void draw_y_axis(svg_writer& s, const frame& f, const linear_scale& y, const std::vector<tick>& ticks,
                 std::string_view title);

/// Draws the x axis: tick marks, labels (class "tick-x"), an optional second row of labels
/// (class "tick-x2", e.g. dates) and a title (class "axis-title"). Labels that would overlap are
/// thinned (their tick mark stays).
void draw_x_axis(svg_writer& s, const frame& f, const linear_scale& x, const std::vector<tick>& ticks,
                 std::string_view title, const std::vector<tick>& second_row = {});

/// How a legend entry is drawn.
/// `area` is a translucent fill (an interval band); `block` a solid one (a phase, a severity band).
enum class swatch { line, dashed, area, block, point, triangle, diamond };

/// One legend entry.
struct legend_entry {
  std::string label;
  std::string color;
  swatch kind = swatch::line;
};

/// The height a legend of these entries takes when wrapped at `max_width`.
[[nodiscard]] double legend_height(const std::vector<legend_entry>& entries, double max_width);

/// Draws a legend (group class "legend", labels class "legend-label") from (x, y), wrapping at
/// `max_width`.
void draw_legend(svg_writer& s, double x, double y, double max_width, const std::vector<legend_entry>& entries);

/// A large faint "SYNTHETIC DATA" across the plot area (class "watermark").
void draw_watermark(svg_writer& s, const frame& f);

/// Colours (Okabe-Ito, distinguishable with the common colour-vision deficiencies).
namespace palette {
inline constexpr std::string_view blue = "#0072B2";
inline constexpr std::string_view vermillion = "#D55E00";
inline constexpr std::string_view green = "#009E73";
inline constexpr std::string_view orange = "#E69F00";
inline constexpr std::string_view purple = "#CC79A7";
inline constexpr std::string_view sky = "#56B4E9";
inline constexpr std::string_view black = "#000000";
inline constexpr std::string_view grey = "#6B6B6B";
inline constexpr std::string_view hold = "#E69F00";      ///< hold thresholds (dosing waits)
inline constexpr std::string_view critical = "#C62828";  ///< critical thresholds
/// The colour of series `i` (cycles).
[[nodiscard]] std::string_view series(std::size_t i) noexcept;
}  // namespace palette

}  // namespace kap::reports::detail
