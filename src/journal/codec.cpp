#include "codec.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>
#include <kap/json/writer.hpp>

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
  json::writer w(out);
  w.begin_object();
  w.key("outcome");
  w.string(enum_name(d.outcome));
  if (d.code) {
    w.key("code");
    w.string(to_string(*d.code));
  }
  if (!d.message.empty()) {
    w.key("message");
    w.string(d.message);
  }
  if (!d.unmet.empty()) {
    w.key("unmet");
    json::append(w.raw_value(), d.unmet);
  }
  if (!d.alerts.empty()) {
    w.key("alerts");
    json::append(w.raw_value(), d.alerts);
  }
  w.end_object();
}

result<decision> read_decision(std::string_view text, const event_id& id) {
  auto s = json::from_string<stored_decision>(text);
  if (!s) return std::move(s).error();
  decision d;
  d.event = id;
  d.outcome = s->outcome;
  if (s->code) {
    d.code = errc_from_name(*s->code);
    if (!d.code) return error{errc::unknown_enum, "/code: unknown code " + json::quote_for_message(*s->code)};
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
