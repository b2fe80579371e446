#pragma once

// A small, strict parser for the markup kap's reports emit (HTML written as well-formed XML),
// so the tests compare structure rather than bytes. It refuses what a sloppy writer produces:
// unclosed or mismatched elements, unquoted attributes, a bare '&', '<' in an attribute value,
// unknown entities. <style> content is raw text, as in HTML.

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kap::test::xml {

struct node {
  std::string name;  // "" for a text node
  std::map<std::string, std::string> attrs;
  std::vector<node> children;
  std::string text;  // a text node's decoded text

  [[nodiscard]] bool is_text() const { return name.empty(); }
  [[nodiscard]] std::string attr(const std::string& k) const {
    auto it = attrs.find(k);
    return it == attrs.end() ? std::string() : it->second;
  }
  [[nodiscard]] double num(const std::string& k) const { return std::strtod(attr(k).c_str(), nullptr); }
  [[nodiscard]] bool has_class(std::string_view cls) const {
    const std::string c = attr("class");
    std::size_t i = 0;
    while (i < c.size()) {
      const std::size_t j = c.find(' ', i);
      const std::string_view word = std::string_view(c).substr(i, j == std::string::npos ? std::string::npos : j - i);
      if (word == cls) return true;
      if (j == std::string::npos) break;
      i = j + 1;
    }
    return false;
  }
  /// Every text below this node, concatenated.
  [[nodiscard]] std::string text_content() const {
    if (is_text()) return text;
    std::string out;
    for (const auto& c : children) out += c.text_content();
    return out;
  }
  /// Every element below (and including) this one that satisfies `pred`, in document order.
  void collect(const std::function<bool(const node&)>& pred, std::vector<const node*>& out) const {
    if (!is_text() && pred(*this)) out.push_back(this);
    for (const auto& c : children) c.collect(pred, out);
  }
  [[nodiscard]] std::vector<const node*> all(const std::function<bool(const node&)>& pred) const {
    std::vector<const node*> out;
    collect(pred, out);
    return out;
  }
  [[nodiscard]] std::vector<const node*> by_tag(std::string_view tag) const {
    return all([&](const node& n) { return n.name == tag; });
  }
  [[nodiscard]] std::vector<const node*> by_class(std::string_view cls) const {
    return all([&](const node& n) { return n.has_class(cls); });
  }
  [[nodiscard]] std::vector<const node*> by_tag_class(std::string_view tag, std::string_view cls) const {
    return all([&](const node& n) { return n.name == tag && n.has_class(cls); });
  }
};

struct parse_result {
  std::optional<node> root;  // a synthetic "#document" element
  std::string error;
};

namespace detail {

class parser {
 public:
  explicit parser(std::string_view s) : s_(s) {}

  parse_result run() {
    node doc;
    doc.name = "#document";
    std::vector<node*> stack{&doc};
    while (pos_ < s_.size()) {
      if (s_[pos_] != '<') {
        const std::size_t end = s_.find('<', pos_);
        const std::string_view raw =
            s_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
        if (raw.find('>') != std::string_view::npos) return fail("'>' in text must be escaped");
        std::string text;
        if (!decode(raw, text)) return fail();
        node t;
        t.text = std::move(text);
        stack.back()->children.push_back(std::move(t));
        pos_ = end == std::string_view::npos ? s_.size() : end;
        continue;
      }
      if (starts("<!--")) {
        const std::size_t end = s_.find("-->", pos_);
        if (end == std::string_view::npos) return fail("unterminated comment");
        pos_ = end + 3;
        continue;
      }
      if (starts("<!DOCTYPE") || starts("<!doctype")) {
        const std::size_t end = s_.find('>', pos_);
        if (end == std::string_view::npos) return fail("unterminated doctype");
        doctype_ = true;
        pos_ = end + 1;
        continue;
      }
      if (starts("</")) {
        pos_ += 2;
        const std::string name = read_name();
        skip_ws();
        if (!eat('>')) return fail("bad end tag");
        if (stack.size() < 2 || stack.back()->name != name) return fail("mismatched </" + name + ">");
        stack.pop_back();
        continue;
      }
      ++pos_;
      node el;
      el.name = read_name();
      if (el.name.empty()) return fail("empty tag name");
      bool self_closing = false;
      for (;;) {
        skip_ws();
        if (eat('>')) break;
        if (starts("/>")) {
          pos_ += 2;
          self_closing = true;
          break;
        }
        const std::string key = read_name();
        if (key.empty()) return fail("bad attribute in <" + el.name + ">");
        skip_ws();
        if (!eat('=')) return fail("attribute " + key + " without a value");
        skip_ws();
        if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) return fail("unquoted attribute " + key);
        const char q = s_[pos_++];
        const std::size_t end = s_.find(q, pos_);
        if (end == std::string_view::npos) return fail("unterminated attribute " + key);
        const std::string_view raw = s_.substr(pos_, end - pos_);
        if (raw.find('<') != std::string_view::npos) return fail("'<' in attribute " + key);
        std::string value;
        if (!decode(raw, value)) return fail();
        if (el.attrs.count(key)) return fail("duplicate attribute " + key);
        el.attrs.emplace(key, std::move(value));
        pos_ = end + 1;
      }
      stack.back()->children.push_back(std::move(el));
      node* added = &stack.back()->children.back();
      if (self_closing) continue;
      if (added->name == "style" || added->name == "script") {
        const std::string close = "</" + added->name + ">";
        const std::size_t end = s_.find(close, pos_);
        if (end == std::string_view::npos) return fail("unterminated <" + added->name + ">");
        node t;
        t.text = std::string(s_.substr(pos_, end - pos_));
        added->children.push_back(std::move(t));
        pos_ = end + close.size();
        continue;
      }
      stack.push_back(added);
    }
    if (stack.size() != 1) return fail("unclosed <" + stack.back()->name + ">");
    parse_result r;
    r.root = std::move(doc);
    return r;
  }

  bool saw_doctype() const { return doctype_; }

 private:
  bool starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  std::string read_name() {
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == ':' || c == '.';
      if (!ok) break;
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }
  static void put_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool decode(std::string_view raw, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out.push_back(raw[i]);
        continue;
      }
      const std::size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        error_ = "bare '&'";
        return false;
      }
      const std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "amp")
        out += '&';
      else if (ent == "lt")
        out += '<';
      else if (ent == "gt")
        out += '>';
      else if (ent == "quot")
        out += '"';
      else if (ent == "apos")
        out += '\'';
      else if (ent.size() > 1 && ent[0] == '#') {
        const bool hex = ent[1] == 'x' || ent[1] == 'X';
        const std::string digits(ent.substr(hex ? 2 : 1));
        put_utf8(out, std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10));
      } else {
        error_ = "unknown entity &" + std::string(ent) + ";";
        return false;
      }
      i = semi;
    }
    return true;
  }
  parse_result fail(std::string why = {}) {
    parse_result r;
    r.error = (why.empty() ? error_ : why) + " at offset " + std::to_string(pos_);
    return r;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  bool doctype_ = false;
  std::string error_;
};

}  // namespace detail

/// Parses a page or a fragment.
inline parse_result parse(std::string_view markup) { return detail::parser(markup).run(); }

}  // namespace kap::test::xml
