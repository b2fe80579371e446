#include <kap/json/writer.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace kap::json {

namespace {

// Appends `s` quoted and escaped: the one string rule of every JSON text kap writes.
void append_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of plain characters
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// An integer in decimal.
template <class Integer>
void append_integer(std::string& out, Integer v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  (void)ec;  // 20 characters always suffice
  out.append(buf.data(), end);
}

}  // namespace

void writer::key(std::string_view k) {
  separate();
  append_string(*out_, k);
  out_->push_back(':');
  after_value_ = false;
}

void writer::string(std::string_view s) {
  separate();
  append_string(*out_, s);
  after_value_ = true;
}

void writer::int64(std::int64_t v) {
  separate();
  append_integer(*out_, v);
  after_value_ = true;
}

void writer::uint64(std::uint64_t v) {
  separate();
  append_integer(*out_, v);
  after_value_ = true;
}

void writer::number(double v) {
  separate();
  if (!std::isfinite(v)) {
    out_->append("null");
  } else {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    (void)ec;  // 32 characters always suffice for a double
    out_->append(buf.data(), end);
  }
  after_value_ = true;
}

}  // namespace kap::json
