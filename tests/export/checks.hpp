#pragma once

// Structural checks shared by the report tests: parse the page, check it is self-contained,
// and measure labels for overlap.

#include "xml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace kap::test {

/// Parses a page; fails the test when it is not well-formed.
inline xml::node parse_page(const std::string& html) {
  auto r = xml::parse(html);
  EXPECT_TRUE(r.root.has_value()) << r.error;
  if (!r.root) return xml::node{};
  return std::move(*r.root);
}

/// Code points in UTF-8 text.
inline std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  return n;
}

/// The horizontal extent of an SVG <text>, from its x, text-anchor, font-size and length, with a
/// sans-serif width of 0.62 em per character (DejaVu Sans digits are 0.636 em, Liberation Sans 0.556).
struct extent {
  double left = 0, right = 0;
  std::string label;
};

inline extent text_extent(const xml::node& t) {
  const double size = t.attrs.count("font-size") ? t.num("font-size") : 16.0;
  const std::string label = t.text_content();
  const double w = static_cast<double>(code_points(label)) * size * 0.62;
  const double x = t.num("x");
  const std::string anchor = t.attr("text-anchor");
  if (anchor == "middle") return {x - w / 2, x + w / 2, label};
  if (anchor == "end") return {x - w, x, label};
  return {x, x + w, label};
}

/// Fails when two <text class=cls> inside the same <svg> and on the same baseline overlap.
/// @return how many labels were checked
inline std::size_t expect_no_overlap(const xml::node& root, std::string_view cls) {
  std::size_t checked = 0;
  for (const xml::node* svg : root.by_tag("svg")) {
    std::vector<const xml::node*> texts = svg->by_tag_class("text", cls);
    std::sort(texts.begin(), texts.end(), [](const xml::node* a, const xml::node* b) {
      if (a->num("y") != b->num("y")) return a->num("y") < b->num("y");
      return a->num("x") < b->num("x");
    });
    for (std::size_t i = 1; i < texts.size(); ++i) {
      if (texts[i]->num("y") != texts[i - 1]->num("y")) continue;
      const extent a = text_extent(*texts[i - 1]);
      const extent b = text_extent(*texts[i]);
      EXPECT_LE(a.right, b.left) << cls << " labels overlap: \"" << a.label << "\" [" << a.left << ", " << a.right
                                 << "] and \"" << b.label << "\" [" << b.left << ", " << b.right << "]";
    }
    checked += texts.size();
  }
  return checked;
}

/// The decoded text of every <text class=cls>.
inline std::vector<std::string> texts_of(const xml::node& root, std::string_view cls) {
  std::vector<std::string> out;
  for (const xml::node* t : root.by_tag_class("text", cls)) out.push_back(t->text_content());
  return out;
}

/// True when some element's text (decoded) contains `needle`.
inline bool page_text_contains(const xml::node& root, std::string_view needle) {
  return root.text_content().find(needle) != std::string::npos;
}

/// A page is one self-contained file: a doctype and one html/head/body; no script, no external
/// reference of any kind; a Content-Security-Policy that forbids fetching; the disclaimer.
inline void expect_self_contained(const std::string& html, const xml::node& root) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_EQ(root.by_tag("html").size(), 1U);
  EXPECT_EQ(root.by_tag("head").size(), 1U);
  EXPECT_EQ(root.by_tag("body").size(), 1U);
  for (const char* banned : {"script", "link", "img", "iframe", "object", "embed", "image", "use", "foreignObject", "a",
                             "audio", "video", "source"}) {
    EXPECT_TRUE(root.by_tag(banned).empty()) << "page has a <" << banned << ">";
  }
  const auto with_refs = root.all([](const xml::node& n) {
    for (const auto& [k, v] : n.attrs) {
      if (k == "src" || k == "href" || k == "xlink:href" || k.rfind("on", 0) == 0) return true;
      if (k != "xmlns" && v.find("://") != std::string::npos) return true;
      if (v.find("url(") != std::string::npos) return true;
    }
    return false;
  });
  EXPECT_TRUE(with_refs.empty()) << "an element refers outside the page: <" << with_refs.front()->name << ">";
  for (const xml::node* st : root.by_tag("style")) {
    const std::string css = st->text_content();
    EXPECT_EQ(css.find("url("), std::string::npos);
    EXPECT_EQ(css.find("@import"), std::string::npos);
    EXPECT_EQ(css.find("@font-face"), std::string::npos);
  }
  const auto csp = root.all(
      [](const xml::node& n) { return n.name == "meta" && n.attr("http-equiv") == "Content-Security-Policy"; });
  ASSERT_EQ(csp.size(), 1U);
  EXPECT_NE(csp.front()->attr("content").find("default-src 'none'"), std::string::npos);
  const auto disclaimer = root.by_class("disclaimer");
  ASSERT_FALSE(disclaimer.empty());
  EXPECT_NE(disclaimer.front()->text_content().find("not medical advice"), std::string::npos);
  EXPECT_NE(disclaimer.front()->text_content().find("kap models protocols"), std::string::npos);
}

/// Every <svg> has labelled axes (two titles, at least two tick labels each) and a legend.
inline void expect_labelled_charts(const xml::node& root) {
  const auto svgs = root.by_tag("svg");
  ASSERT_FALSE(svgs.empty());
  for (const xml::node* svg : svgs) {
    const std::string what = svg->attr("class");
    EXPECT_EQ(svg->by_tag("title").empty(), false) << what;
    EXPECT_FALSE(svg->by_tag_class("g", "legend").empty()) << what << " has no legend";
    EXPECT_FALSE(svg->by_tag_class("text", "legend-label").empty()) << what;
    EXPECT_GE(svg->by_tag_class("text", "tick-x").size(), 2U) << what;
    EXPECT_FALSE(svg->by_tag_class("g", "axis-x").empty()) << what;
    EXPECT_FALSE(svg->by_tag_class("text", "axis-title").empty()) << what;
  }
}

}  // namespace kap::test
