#pragma once

// Helpers for session tests: load the test protocol, make events from short JSON fragments.

#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace kap::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::shared_ptr<const validated_protocol> load_protocol(const std::string& name) {
  auto p = json::read_protocol(read_file(std::string(KAP_TEST_DATA_DIR) + "/protocols/" + name + ".json"));
  if (!p) throw std::runtime_error(p.error().message);
  auto v = validate(std::move(*p));
  if (!v) throw std::runtime_error(v.error().message);
  return std::make_shared<const validated_protocol>(std::move(*v));
}

/// The actor JSON for a role: prescriber P-1 and nurse N-1 are licensed.
inline std::string actor_json(const std::string& role) {
  if (role == "prescriber") return R"({"id":"P-1","role":"prescriber","licensed":true})";
  if (role == "nurse") return R"({"id":"N-1","role":"nurse","licensed":true})";
  if (role == "unlicensed-nurse") return R"({"id":"N-2","role":"nurse","licensed":false})";
  if (role == "therapist") return R"({"id":"T-1","role":"therapist","licensed":true})";
  if (role == "monitor") return R"({"id":"M-1","role":"monitor","licensed":false})";
  if (role == "patient") return R"({"id":"SUBJ-1","role":"patient","licensed":false})";
  return R"({"id":"SYS","role":"system","licensed":false})";
}

/// An event of session S-1 at 2026-11-26T<hhmm>:00Z, e.g. ev("e-1", "10:00", "nurse",
/// R"("type":"vitals","systolic":120)").
inline event ev(const std::string& id, const std::string& hhmm, const std::string& role, const std::string& rest,
                const std::string& session = "S-1") {
  const std::string text = R"({"id":")" + id + R"(","session":")" + session + R"(","at":"2026-11-26T)" + hhmm +
                           R"(:00Z","actor":)" + actor_json(role) + "," + rest + "}";
  auto e = json::read_event(text);
  if (!e) throw std::runtime_error(e.error().message + " in " + text);
  return std::move(*e);
}

inline timestamp at(const std::string& hhmm) { return *parse_rfc3339("2026-11-26T" + hhmm + ":00Z"); }

/// Applies and expects acceptance.
#define KAP_ACCEPT(s, e)                                                                  \
  do {                                                                                    \
    const auto kap_d_ = (s).apply(e);                                                     \
    ASSERT_TRUE(kap_d_.accepted()) << kap_d_.message                                      \
                                   << (kap_d_.unmet.empty() ? "" : " / " + kap_d_.unmet[0].message); \
  } while (0)

/// A session on test-im walked to the dosing phase: screened (80 kg, nothing present), consented,
/// checklist done, vitals 120/80 at 10:00, in dosing since 10:05.
inline session session_at_dosing(const std::shared_ptr<const validated_protocol>& p) {
  session s(p, session_id{"S-1"});
  auto must = [&](const event& e) {
    auto d = s.apply(e);
    if (!d.accepted()) throw std::runtime_error("setup event " + e.id.str() + " rejected: " + d.message);
  };
  must(ev("e-1", "09:30", "prescriber",
          R"("type":"screening","weight_kg":80,"age":40,"answers":{"aneurysmal_vascular_disease":false,)"
          R"("psychosis_history":false,"pregnancy":false,"uncontrolled_hypertension":false})"));
  must(ev("e-2", "09:31", "prescriber", R"("type":"consent","scope":"kap-session")"));
  must(ev("e-3", "09:35", "prescriber", R"("type":"phase","to":"preparation")"));
  must(ev("e-4", "09:40", "therapist", R"("type":"checklist","item":"intention_set")"));
  must(ev("e-5", "09:41", "nurse", R"("type":"checklist","item":"fasting_confirmed")"));
  must(ev("e-6", "09:42", "nurse", R"("type":"checklist","item":"driver_arranged")"));
  must(ev("e-7", "10:00", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":72,"spo2":98)"));
  must(ev("e-8", "10:05", "therapist", R"("type":"phase","to":"dosing")"));
  return s;
}

}  // namespace kap::test
