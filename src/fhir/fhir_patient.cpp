// FHIR R4 export: the Patient, by pseudonymous identifier only (no name, no birth date).
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <utility>

namespace kap::fhir::detail {

exporter::exporter(const subject_id& subject, const export_options& options) : subject_(subject), options_(options) {
  patient_uuid_ = name_uuid("Patient|" + options_.subject_system + "|" + subject_.str());
  object p;
  p["resourceType"] = "Patient";
  p["id"] = patient_uuid_;
  p["identifier"] = array{identifier(options_.subject_system, subject_.str())};
  entries_.push_back({patient_uuid_, "Patient", std::move(p)});
}

}  // namespace kap::fhir::detail
