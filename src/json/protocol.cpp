#include <kap/json/protocol.hpp>

#include <boost/mp11/algorithm.hpp>

#include <utility>

namespace kap::json {

bool codec<requirement>::read(const boost::json::value& v, requirement& out, read_error& e) {
  if (!v.is_object()) return detail::expected(e, "a requirement object", v);
  const auto& obj = v.get_object();
  const auto kind_it = obj.find("kind");
  if (kind_it == obj.end() || !kind_it->value().is_string()) {
    if (kind_it == obj.end()) {
      detail::fail(e, errc::missing_field, "missing required field");
    } else {
      detail::expected(e, "a requirement kind (string)", kind_it->value());
    }
    detail::prepend_key(e, "kind");
    return false;
  }
  const std::string_view kind(kind_it->value().get_string().data(), kind_it->value().get_string().size());
  if (kind == requirements::predicate::kind) {
    detail::fail(e, errc::unsupported_schema, "a predicate requirement exists only in C++ and cannot be read from a file");
    detail::prepend_key(e, "kind");
    return false;
  }
  bool known = false;
  bool ok = true;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<requirement>>>([&](auto i) {
    using R = std::variant_alternative_t<decltype(i)::value, requirement>;
    if constexpr (!std::is_same_v<R, requirements::predicate>) {
      if (known || kind != R::kind) return;
      known = true;
      R r{};
      std::size_t consumed = 0;
      if (!read_members(obj, r, e, consumed)) {
        ok = false;
        return;
      }
      if (consumed + 1 != obj.size() && !reject_unknown_keys<R>(obj, e, {"kind"})) {
        ok = false;
        return;
      }
      out = std::move(r);
    }
  });
  if (!ok) return false;
  if (!known) {
    detail::fail(e, errc::unknown_enum, "unknown requirement kind " + quote_for_message(kind));
    detail::prepend_key(e, "kind");
    return false;
  }
  return true;
}

void codec<requirement>::write(std::string& out, const requirement& x) {
  std::visit(
      [&](const auto& r) {
        using R = std::remove_cvref_t<decltype(r)>;
        writer w(out);
        w.begin_object();
        w.key("kind");
        w.string(R::kind);
        if constexpr (std::is_same_v<R, requirements::predicate>) {
          w.key("name");
          w.string(r.name);
        } else {
          write_members(w, r);
        }
        w.end_object();
      },
      x);
}

result<protocol> read_protocol(std::string_view text, const read_limits& limits) {
  auto v = parse(text, limits);
  if (!v) return std::move(v).error();
  if (!v->is_object()) return error{errc::wrong_type, "/: expected a protocol object, got " + std::string(detail::kind_name(*v))};
  const auto& obj = v->get_object();
  const auto f = obj.find("format");
  if (f == obj.end()) return error{errc::missing_field, "/format: missing required field (expected \"kap.protocol/1\")"};
  if (!f->value().is_string() || f->value().get_string() != protocol_format) {
    std::string shown = f->value().is_string()
                            ? quote_for_message(std::string_view(f->value().get_string().data(),
                                                                         f->value().get_string().size()))
                            : std::string(detail::kind_name(f->value()));
    return error{errc::unsupported_schema, "/format: unsupported format " + shown + " (this kap reads kap.protocol/1)"};
  }
  protocol out;
  read_error e;
  std::size_t consumed = 0;
  if (!read_members(obj, out, e, consumed)) return to_error(std::move(e));
  if (consumed + 1 != obj.size() && !reject_unknown_keys<protocol>(obj, e, {"format"})) return to_error(std::move(e));
  return out;
}

result<std::string> write_protocol(const protocol& p) {
  auto has_predicate = [](const std::vector<requirement>& rs) {
    for (const auto& r : rs) {
      if (std::holds_alternative<requirements::predicate>(r)) return true;
    }
    return false;
  };
  bool pred = has_predicate(p.dose_requires);
  for (const auto& ph : p.phases) pred = pred || has_predicate(ph.entry);
  for (const auto& t : p.transitions) pred = pred || has_predicate(t.require);
  if (pred) return error{errc::unsupported_schema, "a protocol with a C++ predicate requirement cannot be written as JSON"};
  std::string out;
  writer w(out);
  w.begin_object();
  w.key("format");
  w.string(protocol_format);
  write_members(w, p);
  w.end_object();
  return out;
}

}  // namespace kap::json
