#include <kap/json.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

namespace kap::json {

namespace {

// Boost.JSON's own handler (what stream_parser uses), except for numbers with a fraction or an
// exponent: Boost 1.81 converts those with a fast algorithm that can be one unit in the last
// place off, so "98.12345678901234567" could read as a different double than the one its text
// names, and kap's canonical JSON (shortest round trip, writer::number) would not read back
// to itself - a journal row would then fail verify. Such numbers are converted again here from
// their text with std::from_chars, which rounds correctly. (Boost 1.83's
// parse_options::numbers = number_precision::precise does the same.)
struct precise_handler {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  using ec_t = boost::system::error_code;
  using sv_t = boost::json::string_view;

  boost::json::value_stack st;
  std::string number;  // the text of a number split across calls

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(sv_t s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(sv_t s, std::size_t, ec_t&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(sv_t s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(sv_t s, std::size_t, ec_t&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(sv_t s, ec_t&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, sv_t, ec_t&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, sv_t, ec_t&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, sv_t s, ec_t&) {
    number.append(s.data(), s.size());
    double exact = 0;
    const char* end = number.data() + number.size();
    const auto [ptr, ec] = std::from_chars(number.data(), end, exact);
    if (ec == std::errc{} && ptr == end) d = exact;  // out of range: keep Boost's value
    number.clear();
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(sv_t, ec_t&) { return true; }
  bool on_comment(sv_t, ec_t&) { return true; }
};

}  // namespace

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
  boost::json::basic_parser<precise_handler> p(opt);
  p.handler().st.reset();
  boost::system::error_code ec;
  // As boost::json::stream_parser's write + finish.
  const std::size_t n = p.write_some(true, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = boost::json::error::extra_data;
  if (!ec) p.write_some(false, nullptr, 0, ec);
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      return error{errc::too_large, "JSON nesting is deeper than " + std::to_string(limits.max_depth) + " levels"};
    }
    return error{errc::parse_error, "invalid JSON at byte " + std::to_string(n) + ": " + ec.message()};
  }
  boost::json::value v = p.handler().st.release();
  if (auto where = long_string(v, limits.max_string_bytes)) {
    return error{errc::too_large, (where->empty() ? std::string("/") : *where) + ": a string or key is longer than " +
                                      std::to_string(limits.max_string_bytes) + " bytes"};
  }
  return v;
}

namespace detail {

std::string_view kind_name(boost::json::kind k) noexcept {
  switch (k) {
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

bool valid_utf8(std::string_view s) noexcept {
  // Unicode's table of well-formed byte sequences (The Unicode Standard, table 3-7), which is
  // what Boost.JSON's parser checks (detail/utf8.hpp): a lead byte fixes the length and the range
  // of the second byte; later bytes are 80-BF.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p != end) {
    if (end - p >= 8) {  // eight ASCII bytes at a time: most text is ASCII
      std::uint64_t w = 0;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t more = 0;  // continuation bytes after the lead
    unsigned lo = 0x80;    // range of the first of them
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c == 0xE0) {
      more = 2;
      lo = 0xA0;  // no overlong forms
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      more = 2;
    } else if (c == 0xED) {
      more = 2;
      hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      more = 3;
      lo = 0x90;  // no overlong forms
    } else if (c >= 0xF1 && c <= 0xF3) {
      more = 3;
    } else if (c == 0xF4) {
      more = 3;
      hi = 0x8F;  // nothing over U+10FFFF
    } else {
      return false;  // a continuation byte, C0, C1 or F5-FF
    }
    if (static_cast<std::size_t>(end - p) <= more) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i <= more; ++i) {
      if ((p[i] & 0xC0U) != 0x80U) return false;
    }
    p += more + 1;
  }
  return true;
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

std::string quote_for_message(std::string_view s) {
  std::string out;
  const bool cut = s.size() > 40;
  writer(out).string(s.substr(0, 40));
  if (cut) {
    out.insert(out.size() - 1, "...");
  }
  return out;
}
}  // namespace kap::json
