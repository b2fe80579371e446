// A clinic app's view: staff record a KAP session event by event; each event is made durable in
// the journal together with the engine's decision, and the screen shows what blocks the next
// phase and which checks are due. A refused event is shown with its reason and the app carries
// on. The names are pseudonyms; the session is made up. kap is not medical advice.
#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/session.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

const kap::actor prescriber{kap::actor_id{"P-1"}, kap::role::prescriber, true};
const kap::actor nurse{kap::actor_id{"N-1"}, kap::role::nurse, true};
const kap::actor therapist{kap::actor_id{"T-1"}, kap::role::therapist, true};
const kap::actor patient{kap::actor_id{"SUBJ-1"}, kap::role::patient, false};

// What the clinic's screen shows between entries: the phase, what stands in the way of the
// next one, and which scheduled checks are due.
void show_board(kap::journal& j, const kap::session_id& id, std::string_view next, kap::timestamp now) {
  auto rep = j.replay(id);  // the session as the journal holds it
  if (!rep) {
    std::cout << "   journal: " << rep.error().message << "\n";
    return;
  }
  const kap::session& s = *rep->session;
  std::cout << "   [" << kap::format_rfc3339(now) << "] phase " << s.phase();
  const auto blockers = s.blockers(next, now);
  std::cout << (blockers.empty() ? ", may move to " : ", before ") << next << (blockers.empty() ? "\n" : ":\n");
  for (const auto& b : blockers) std::cout << "      blocker " << b.requirement << ": " << b.message << "\n";
  for (const auto& d : s.due(now)) {
    std::cout << "      due " << d.what << " at " << kap::format_rfc3339(d.due_at) << (d.overdue ? " (OVERDUE)" : "")
              << "\n";
  }
}

}  // namespace

int main() {
  auto validated = kap::validate(kap::json::reference_protocol("im-kap").value());  // embedded: cannot fail
  if (!validated) {
    std::cerr << validated.error().message << "\n";
    return 1;
  }
  auto protocol = std::make_shared<const kap::validated_protocol>(std::move(*validated));

  // The journal lives in a temporary directory here; a clinic keeps it on durable storage.
  const auto dir = std::filesystem::temp_directory_path() / ("kap-clinic-example-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  kap::journal_options options;
  options.protocol = protocol;
  auto opened = kap::sqlite_journal::open((dir / "clinic.db").string(), options);
  if (!opened) {
    std::cerr << opened.error().message << "\n";
    return 1;
  }
  kap::sqlite_journal& journal = *opened;

  const kap::session_id id{"S-0042"};
  const auto start = kap::parse_rfc3339("2026-11-26T09:00:00Z").value();
  int next_id = 0;
  int refused = 0;
  // Staff press "save": the event is appended (durable on return) with the engine's decision.
  auto record = [&](int minute, const kap::actor& who, kap::payload body) {
    kap::event e;
    e.id = kap::event_id{"e-" + std::to_string(++next_id)};
    e.session = id;
    e.at = start + std::chrono::minutes{minute};
    e.actor = who;
    e.body = std::move(body);
    auto r = journal.append(e);
    if (!r) {  // the disk or the lock failed: nothing was stored, tell the user
      std::cout << "   NOT SAVED: " << r.error().message << "\n";
      return;
    }
    const kap::decision& d = r->decision;
    std::cout << "#" << r->seq << " " << kap::wire_name(e.type()) << " by " << kap::enum_name(who.role) << ": "
              << kap::enum_name(d.outcome) << "\n";
    if (!d.accepted()) {
      ++refused;
      std::cout << "   refused (" << kap::to_string(*d.code) << "): " << d.message << "\n";
      for (const auto& u : d.unmet) std::cout << "   unmet " << u.requirement << ": " << u.message << "\n";
    }
    for (const auto& a : d.alerts) std::cout << "   ALERT " << kap::enum_name(a.severity) << ": " << a.message << "\n";
  };

  namespace ev = kap::events;
  std::map<std::string, bool> answers;
  for (const auto& c : protocol->definition().contraindications) answers[c.name] = false;
  record(0, prescriber, ev::screening{kap::kilograms{70}, 38, answers});
  record(1, prescriber, ev::consent{"kap-session"});
  record(2, therapist, ev::phase{"preparation"});
  record(5, patient, ev::measure{"phq9", {{"2"}, {"2"}, {"1"}, {"2"}, {"1"}, {"1"}, {"1"}, {"1"}, {"0"}}});
  show_board(journal, id, "dosing", start + std::chrono::minutes{6});
  record(10, therapist, ev::checklist{"intention_set"});
  record(11, nurse, ev::checklist{"fasting_confirmed"});
  record(12, nurse, ev::checklist{"driver_arranged"});
  record(13, therapist, ev::checklist{"set_and_setting_ready"});
  record(14, therapist, ev::phase{"dosing"});
  record(15, nurse, ev::vitals{kap::mmhg{128}, kap::mmhg{82}, kap::bpm{74}, kap::spo2_percent{98}, std::nullopt});
  // The nurse saves the dose before the prescriber signed the order: refused, nothing changes.
  record(16, nurse, ev::dose{kap::drug::ketamine, kap::route::im, kap::milligrams{100}, std::nullopt});
  show_board(journal, id, "guided_meditation", start + std::chrono::minutes{16});
  // The app shows the reason; the prescriber signs, and the nurse saves the dose again.
  record(17, prescriber, ev::signoff{"dose_order"});
  record(18, nurse, ev::dose{kap::drug::ketamine, kap::route::im, kap::milligrams{100}, std::nullopt});
  record(19, therapist, ev::phase{"guided_meditation"});
  // At 10:00: the time the protocol wants after a dose, and the vitals check that fell overdue.
  show_board(journal, id, "monitoring", start + std::chrono::minutes{60});

  auto check = journal.verify();
  std::cout << "journal: " << (check && check->intact ? "intact" : "NOT intact") << ", " << (check ? check->rows : 0)
            << " rows, " << refused << " refused events kept with their reasons\n";
  std::filesystem::remove_all(dir);
  return check && check->intact && refused == 1 ? 0 : 1;
}
