#include "page.hpp"

#include "svg.hpp"

#include <kap/version.hpp>

namespace kap::reports::detail {

namespace {

// No '<', '>' or '&' in here: the style element is raw text.
constexpr std::string_view css = R"(
:root { color-scheme: light; }
body { font-family: sans-serif; color: #1a1a1a; background: #ffffff; margin: 24px auto; max-width: 1060px;
       padding: 0 16px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 6px 0; }
h2 { font-size: 19px; margin: 28px 0 8px 0; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px 0; }
p.disclaimer { color: #444444; font-size: 13px; margin: 4px 0 12px 0; }
p.synthetic-banner { background: #fdecea; border: 2px solid #c62828; color: #8e0000; font-weight: bold;
                     padding: 8px 12px; margin: 8px 0 12px 0; }
p.note { color: #555555; font-size: 13px; }
p.empty { color: #777777; font-style: italic; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px 0; }
dl.facts dt { font-weight: bold; color: #333333; }
dl.facts dd { margin: 0; }
figure { margin: 10px 0 18px 0; }
figcaption { font-size: 13px; color: #444444; margin-top: 2px; }
svg { max-width: 100%; height: auto; display: block; border: 1px solid #eeeeee; }
table { border-collapse: collapse; margin: 8px 0 18px 0; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.critical { color: #b71c1c; font-weight: bold; }
td.warning { color: #8a5a00; font-weight: bold; }
td.yes { color: #1b5e20; font-weight: bold; }
footer { margin-top: 32px; border-top: 1px solid #dddddd; padding-top: 8px; font-size: 12px; color: #555555; }
)";

}  // namespace

page::page(std::string_view title, std::string_view kind, bool synthetic) {
  out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  // No fetch of any kind: no script, no font, no image, no frame; inline style only.
  out_ +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:\"/>\n";
  out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out_ += "<meta name=\"generator\" content=\"kap " + std::string(kap::version_string) + "\"/>\n";
  out_ += "<title>" + escape(title) + (synthetic ? " (synthetic data)" : "") + "</title>\n";
  out_ += "<style>";
  out_ += css;
  out_ += "</style>\n</head>\n<body class=\"" + escape(kind) + "\">\n<header>\n";
  out_ += "<h1>" + escape(title) + "</h1>\n";
  if (synthetic) out_ += "<p class=\"synthetic-banner\" role=\"note\">" + escape(synthetic_banner) + "</p>\n";
  out_ += "<p class=\"disclaimer\">" + escape(disclaimer) + "</p>\n</header>\n<main>\n";
}

void page::h2(std::string_view text, std::string_view id) {
  out_ += "<h2";
  if (!id.empty()) out_ += " id=\"" + escape(id) + "\"";
  out_ += cat(">", escape(text), "</h2>\n");
}

void page::h3(std::string_view text) { out_ += "<h3>" + escape(text) + "</h3>\n"; }

void page::paragraph(std::string_view text, std::string_view cls) {
  out_ += "<p";
  if (!cls.empty()) out_ += " class=\"" + escape(cls) + "\"";
  out_ += cat(">", escape(text), "</p>\n");
}

void page::facts(const std::vector<std::pair<std::string, std::string>>& items) {
  out_ += "<dl class=\"facts\">\n";
  for (const auto& [term, value] : items) out_ += "<dt>" + escape(term) + "</dt><dd>" + escape(value) + "</dd>\n";
  out_ += "</dl>\n";
}

void page::table(std::string_view cls, std::string_view caption, const std::vector<std::string>& header,
                 const std::vector<std::vector<cell>>& rows) {
  out_ += "<table class=\"" + escape(cls) + "\">\n";
  if (!caption.empty()) out_ += "<caption>" + escape(caption) + "</caption>\n";
  out_ += "<thead><tr>";
  for (const auto& h : header) out_ += "<th scope=\"col\">" + escape(h) + "</th>";
  out_ += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out_ += "<tr>";
    for (const auto& c : row) {
      out_ += "<td";
      if (!c.cls.empty()) out_ += " class=\"" + escape(c.cls) + "\"";
      out_ += cat(">", escape(c.text), "</td>");
    }
    out_ += "</tr>\n";
  }
  out_ += "</tbody>\n</table>\n";
}

void page::figure(std::string_view svg_markup, std::string_view caption) {
  out_ += "<figure>\n";
  out_ += svg_markup;
  out_ += "\n<figcaption>" + escape(caption) + "</figcaption>\n</figure>\n";
}

void page::open_section(std::string_view cls) { out_ += "<section class=\"" + escape(cls) + "\">\n"; }

void page::close_section() { out_ += "</section>\n"; }

std::string page::finish() {
  out_ += "</main>\n<footer>\n<p>" + escape(disclaimer) + " Drawn by kap " + std::string(kap::version_string) +
          " (inline SVG, no scripts, no network).</p>\n</footer>\n</body>\n</html>\n";
  return std::move(out_);
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  const std::size_t n = utf8_length(s);
  if (n < width) out.append(width - n, ' ');
  return out;
}

}  // namespace kap::reports::detail
