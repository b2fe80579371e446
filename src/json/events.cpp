#include <kap/json/events.hpp>

#include <boost/mp11/algorithm.hpp>

#include <limits>
#include <utility>

namespace kap::json {
namespace {

template <class P>
bool read_payload(const boost::json::object& obj, payload& body, read_error& e, std::size_t& consumed) {
  P p{};
  if (!read_members(obj, p, e, consumed)) return false;
  body = std::move(p);
  return true;
}

// Reads the alternative of `payload` whose `type` equals `name`; false with unknown_enum if none.
bool read_body(std::string_view name, const boost::json::object& obj, payload& body, read_error& e,
               std::size_t& consumed, bool& known) {
  bool ok = true;
  known = false;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<payload>>>([&](auto i) {
    using P = std::variant_alternative_t<decltype(i)::value, payload>;
    if (known || name != P::type) return;
    known = true;
    ok = read_payload<P>(obj, body, e, consumed);
  });
  return ok;
}

template <class P>
bool is_payload_member(std::string_view key) {
  return is_member_name<P>(key);
}

}  // namespace

bool codec<event>::read(const boost::json::value& v, event& out, read_error& e) {
  if (!v.is_object()) return detail::expected(e, "an event object", v);
  const auto& obj = v.get_object();
  std::size_t consumed = 0;
  const auto type_it = obj.find("type");
  if (type_it == obj.end()) {
    detail::fail(e, errc::missing_field, "missing required field");
    detail::prepend_key(e, "type");
    return false;
  }
  if (!type_it->value().is_string()) {
    detail::expected(e, "an event type name (string)", type_it->value());
    detail::prepend_key(e, "type");
    return false;
  }
  const std::string_view type(type_it->value().get_string().data(), type_it->value().get_string().size());
  if (!read_members(obj, static_cast<event_header&>(out), e, consumed)) return false;
  bool known = false;
  if (!read_body(type, obj, out.body, e, consumed, known)) return false;
  if (!known) {
    // Only a name shaped like a code is echoed (kap/core/detail/code_text.hpp).
    detail::fail(e, errc::unknown_enum, kap::detail::is_code(type)
                                            ? "unknown event type " + kap::detail::quoted_if_code(type)
                                            : std::string("unknown event type (not an event type name)"));
    detail::prepend_key(e, "type");
    return false;
  }
  if (consumed + 1 != obj.size()) {
    for (const auto& kv : obj) {
      const std::string_view k = kv.key();
      if (k == "type" || is_member_name<event_header>(k)) continue;
      const bool in_payload =
          std::visit([&](const auto& p) { return is_member_name<std::remove_cvref_t<decltype(p)>>(k); }, out.body);
      if (in_payload) continue;
      detail::fail(e, errc::unknown_field, "unknown field for a " + std::string(type) + " event");
      detail::prepend_key(e, k);
      return false;
    }
  }
  return true;
}

void codec<event>::write(std::string& out, const event& x) {
  writer w(out);
  w.begin_object();
  write_members(w, static_cast<const event_header&>(x));
  std::visit(
      [&](const auto& p) {
        w.key("type");
        w.string(std::remove_cvref_t<decltype(p)>::type);
        write_members(w, p);
      },
      x.body);
  w.end_object();
}

bool codec<event>::check(const event& x, read_error& e) {
  if (!check_members(static_cast<const event_header&>(x), e)) return false;
  return std::visit([&](const auto& p) { return check_members(p, e); }, x.body);
}

result<void> check_event(const event& e) {
  read_error why;
  if (codec<event>::check(e, why)) return {};
  // The parser reads the text before any codec does: invalid UTF-8 anywhere in it, even after
  // the value refused above, is the reader's error, and its message names a byte of the text.
  // So a refusal writes the event and asks the parser first; the size is the caller's to judge.
  constexpr read_limits text_only{std::numeric_limits<std::size_t>::max(), stored_event_limits.max_depth,
                                  std::numeric_limits<std::size_t>::max()};
  if (auto v = parse(write_event(e), text_only); !v) return std::move(v).error();
  return to_error(std::move(why));
}

result<event> read_event(std::string_view text, const read_limits& limits) {
  auto v = parse(text, limits);
  if (!v) return std::move(v).error();
  event out;
  read_error e;
  if (!codec<event>::read(*v, out, e)) return to_error(std::move(e));
  return out;
}

std::string write_event(const event& e) {
  std::string out;
  out.reserve(256);
  codec<event>::write(out, e);
  return out;
}

std::vector<jsonl_line> read_events_jsonl(std::string_view text, const read_limits& limits) {
  std::vector<jsonl_line> out;
  std::size_t line = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto ev = read_event(l, limits);
    if (!ev) ev = error{ev.error().code, "line " + std::to_string(line) + ": " + ev.error().message};
    out.push_back(jsonl_line{line, std::move(ev)});
  }
  return out;
}

}  // namespace kap::json
