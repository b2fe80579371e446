// FHIR R4 export: the Bundle (its id, type, timestamp and entries) and its JSON text.
#include "fhir_private.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json/codec.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace kap::fhir::detail {

namespace {

// --- JSON text -----------------------------------------------------------------------------------

/// Compact JSON, members in insertion order, numbers as kap writes them (shortest round trip,
/// never an exponent for the values an export holds).
void write(std::string& out, const value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; return;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case boost::json::kind::int64: json::detail::write_int(out, v.get_int64()); return;
    case boost::json::kind::uint64: json::detail::write_uint(out, v.get_uint64()); return;
    case boost::json::kind::double_: json::detail::write_double(out, v.get_double()); return;
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      json::detail::write_string(out, std::string_view(s.data(), s.size()));
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(out, x);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        json::detail::write_string(out, std::string_view(kv.key().data(), kv.key().size()));
        out.push_back(':');
        write(out, kv.value());
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string exporter::finish(std::string_view scope) {
  timestamp latest{};
  bool any = false;
  for (const auto& t : times_) {
    if (!any || t > latest) latest = t;
    any = true;
  }
  object b;
  b["resourceType"] = "Bundle";
  b["id"] = name_uuid("Bundle|" + str(scope) + "|" + str(enum_name(options_.type)));
  b["type"] = str(enum_name(options_.type));
  if (any) b["timestamp"] = when(latest);
  array list;
  for (auto& en : entries_) {
    object item;
    item["fullUrl"] = "urn:uuid:" + en.uuid;
    item["resource"] = std::move(en.resource);
    if (options_.type == bundle_type::transaction) {
      object req;
      if (en.type == "Patient") {
        // Conditional create: an EHR that knows the pseudonym keeps its own Patient.
        req["method"] = "POST";
        req["url"] = "Patient";
        req["ifNoneExist"] = "identifier=" + options_.subject_system + "|" + subject_.str();
      } else {
        // Idempotent: the same session exported again updates the same resources.
        req["method"] = "PUT";
        req["url"] = en.type + "/" + en.uuid;
      }
      item["request"] = std::move(req);
    }
    list.push_back(std::move(item));
  }
  b["entry"] = std::move(list);
  std::string out;
  write(out, b);
  out.push_back('\n');
  return out;
}

}  // namespace kap::fhir::detail
