#include <kap/json.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

namespace kap::json {

error to_error(read_error&& e) {
  std::string msg = e.path.empty() ? std::string("/") : std::move(e.path);
  msg += ": ";
  msg += e.text;
  return error{e.code, std::move(msg)};
}

namespace {

// The first string or key longer than `max` (depth-first), as a JSON pointer; nullopt if none.
// Recursion is bounded by the parser's max_depth.
std::optional<std::string> long_string(const boost::json::value& v, std::size_t max) {
  switch (v.kind()) {
    case boost::json::kind::string:
      if (v.get_string().size() > max) return std::string();
      return std::nullopt;
    case boost::json::kind::array: {
      const auto& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (auto p = long_string(a[i], max)) return "/" + std::to_string(i) + *p;
      }
      return std::nullopt;
    }
    case boost::json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (kv.key().size() > max) return std::string();  // the object's own path
        if (auto p = long_string(kv.value(), max)) {
          read_error e;
          e.path = std::move(*p);
          detail::prepend_key(e, kv.key());
          return std::move(e.path);
        }
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

result<boost::json::value> parse(std::string_view text, const read_limits& limits) {
  if (text.size() > limits.max_bytes) {
    return error{errc::too_large, "input of " + std::to_string(text.size()) + " bytes is over the limit of " +
                                      std::to_string(limits.max_bytes) + " bytes"};
  }
  boost::json::parse_options opt;
  opt.max_depth = limits.max_depth;
  boost::json::stream_parser p({}, opt);
  boost::system::error_code ec;
  const std::size_t n = p.write(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      return error{errc::too_large, "JSON nesting is deeper than " + std::to_string(limits.max_depth) + " levels"};
    }
    return error{errc::parse_error, "invalid JSON at byte " + std::to_string(n) + ": " + ec.message()};
  }
  boost::json::value v = p.release();
  if (auto where = long_string(v, limits.max_string_bytes)) {
    return error{errc::too_large, (where->empty() ? std::string("/") : *where) + ": a string or key is longer than " +
                                      std::to_string(limits.max_string_bytes) + " bytes"};
  }
  return v;
}

namespace detail {

void write_string(std::string& out, std::string_view s) {
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

void write_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  (void)ec;  // 32 characters always suffice for a double
  out.append(buf.data(), end);
}

void write_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  (void)ec;
  out.append(buf.data(), end);
}

void write_uint(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  (void)ec;
  out.append(buf.data(), end);
}

std::string_view kind_name(const boost::json::value& v) noexcept {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "an integer";
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "a value";
}

std::string quote_for_message(std::string_view s) {
  std::string out;
  const bool cut = s.size() > 40;
  write_string(out, s.substr(0, 40));
  if (cut) {
    out.insert(out.size() - 1, "...");
  }
  return out;
}

void prepend_key(read_error& e, std::string_view key) {
  std::string seg;
  seg.reserve(key.size() + 1 + e.path.size());
  seg.push_back('/');
  for (const char c : key) {
    if (c == '~') {
      seg += "~0";
    } else if (c == '/') {
      seg += "~1";
    } else {
      seg.push_back(c);
    }
  }
  seg += e.path;
  e.path = std::move(seg);
}

void prepend_index(read_error& e, std::size_t i) {
  // Built by appending: GCC 12's -Wrestrict misfires on "/" + to_string(i) + path at -O2.
  std::string seg;
  seg.reserve(24 + e.path.size());
  seg.push_back('/');
  seg.append(std::to_string(i));
  seg.append(e.path);
  e.path = std::move(seg);
}

}  // namespace detail
}  // namespace kap::json
