// FHIR R4 export: the Bundle (its id, type, timestamp and entries) and its JSON text.
#include "fhir_private.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json/writer.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace kap::fhir::detail {

namespace {

// --- JSON text -----------------------------------------------------------------------------------

/// Compact JSON, members in insertion order, strings and numbers as kap writes them
/// (kap::json::writer: shortest round trip, never an exponent for the values an export holds).
void write(json::writer& w, const value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: w.null(); return;
    case boost::json::kind::bool_: w.boolean(v.get_bool()); return;
    case boost::json::kind::int64: w.int64(v.get_int64()); return;
    case boost::json::kind::uint64: w.uint64(v.get_uint64()); return;
    case boost::json::kind::double_: w.number(v.get_double()); return;
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      w.string(std::string_view(s.data(), s.size()));
      return;
    }
    case boost::json::kind::array: {
      w.begin_array();
      for (const auto& x : v.get_array()) write(w, x);
      w.end_array();
      return;
    }
    case boost::json::kind::object: {
      w.begin_object();
      for (const auto& kv : v.get_object()) {
        w.key(std::string_view(kv.key().data(), kv.key().size()));
        write(w, kv.value());
      }
      w.end_object();
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
  json::writer w(out);
  write(w, b);
  out.push_back('\n');
  return out;
}

}  // namespace kap::fhir::detail
