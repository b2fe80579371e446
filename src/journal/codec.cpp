#include "codec.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>

#include <boost/describe/class.hpp>

#include <vector>

namespace kap::detail::journal {

namespace {

// The reading side of write_decision's format.
struct stored_decision {
  kap::outcome outcome{};
  std::optional<std::string> code;
  std::optional<std::string> message;
  std::optional<std::vector<kap::unmet>> unmet;
  std::optional<std::vector<kap::alert>> alerts;
};
BOOST_DESCRIBE_STRUCT(stored_decision, (), (outcome, code, message, unmet, alerts))

}  // namespace

void write_decision(std::string& out, const decision& d) {
  out += "{\"outcome\":\"";
  out += enum_name(d.outcome);
  out.push_back('"');
  if (d.code) {
    out += ",\"code\":\"";
    out += to_string(*d.code);
    out.push_back('"');
  }
  if (!d.message.empty()) {
    out += ",\"message\":";
    json::detail::write_string(out, d.message);
  }
  if (!d.unmet.empty()) {
    out += ",\"unmet\":";
    json::append(out, d.unmet);
  }
  if (!d.alerts.empty()) {
    out += ",\"alerts\":";
    json::append(out, d.alerts);
  }
  out.push_back('}');
}

result<decision> read_decision(std::string_view text, const event_id& id) {
  auto s = json::from_string<stored_decision>(text);
  if (!s) return std::move(s).error();
  decision d;
  d.event = id;
  d.outcome = s->outcome;
  if (s->code) {
    d.code = errc_from_name(*s->code);
    if (!d.code) return error{errc::unknown_enum, "/code: unknown code " + json::detail::quote_for_message(*s->code)};
  }
  if (s->message) d.message = std::move(*s->message);
  if (s->unmet) d.unmet = std::move(*s->unmet);
  if (s->alerts) d.alerts = std::move(*s->alerts);
  return d;
}

std::optional<errc> errc_from_name(std::string_view name) noexcept {
  for (int i = 1; i < 256; ++i) {
    const auto e = static_cast<errc>(i);
    const std::string_view n = to_string(e);
    if (n == "unknown") break;
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace kap::detail::journal
