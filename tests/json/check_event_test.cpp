// kap::json::check_event judges an event built in C++ by the reader's rules without writing or
// parsing it; the journal's append and FHIR export use it in place of reading each event's
// canonical JSON back. It must refuse exactly what read_event(write_event(e), stored_event_limits)
// refuses, with the same code and message: first one case per rule, then seeded random events of
// every type with random damage.

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace std::chrono;
using kap::errc;
using kap::event;
namespace ev = kap::events;

const kap::timestamp base_time = sys_days{year{2026} / 11 / 26} + hours{10} + minutes{15};

event built_event(kap::payload body) {
  event e;
  e.id = kap::event_id{"e-1"};
  e.session = kap::session_id{"S-1"};
  e.at = base_time;
  e.actor = kap::actor{kap::actor_id{"N-7"}, kap::role::nurse, true};
  e.body = std::move(body);
  return e;
}

ev::dose dose_of(double mg) {
  return ev::dose{kap::drug::esketamine, kap::route::intranasal, kap::milligrams{mg}, "L-1"};
}

// What the reader says of the event's canonical text.
kap::result<void> read_back(const event& e) {
  auto r = kap::json::read_event(kap::json::write_event(e), kap::json::stored_event_limits);
  if (!r) return std::move(r).error();
  return {};
}

std::string describe(const kap::result<void>& r) {
  return r ? std::string("passes") : std::string(kap::to_string(r.error().code)) + " " + r.error().message;
}

// check_event and the reader agree on e: both pass, or both refuse with the same code and message.
::testing::AssertionResult agree(const event& e) {
  const auto checked = kap::json::check_event(e);
  const auto read = read_back(e);
  if (checked.has_value() == read.has_value() &&
      (checked || (checked.error().code == read.error().code && checked.error().message == read.error().message))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "check_event: " << describe(checked) << "\n     reader: " << describe(read)
                                       << "\n       text: " << kap::json::write_event(e);
}

struct rule_case {
  const char* what;
  event e;
  std::optional<errc> code;  // the refusal the case is about; nullopt: the event reads back
};

std::vector<rule_case> rule_cases() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  auto changed = [](event e, auto change) {
    change(e);
    return e;
  };
  const event vitals =
      built_event(ev::vitals{kap::mmhg{132}, kap::mmhg{84}, kap::bpm{78}, kap::spo2_percent{98}, std::nullopt});
  const event screening = built_event(ev::screening{kap::kilograms{72.5}, 41, {{"pregnancy", false}}});
  const event measured = built_event(ev::measure{"phq9", {{"1"}, {"0"}, {"2"}}});
  const event adverse = built_event(ev::adverse_event{"nausea", ev::severity::moderate, std::nullopt});
  const kap::timestamp year0 = sys_days{year{0} / 1 / 1};
  const kap::timestamp year9999_end = sys_days{year{9999} / 12 / 31} + hours{24} - milliseconds{1};
  return {
      // Amounts: a non-finite one is written as null; a negative one is refused by its codec.
      {"a NaN dose", built_event(dose_of(nan)), errc::wrong_type},
      {"an infinite dose", built_event(dose_of(inf)), errc::wrong_type},
      {"a dose of minus infinity", built_event(dose_of(-inf)), errc::wrong_type},
      {"a NaN weight",
       changed(screening, [&](event& e) { std::get<ev::screening>(e.body).weight_kg = kap::kilograms{nan}; }),
       errc::wrong_type},
      {"a negative dose", built_event(dose_of(-1)), errc::invalid_quantity},
      {"the least negative dose", built_event(dose_of(-std::numeric_limits<double>::denorm_min())),
       errc::invalid_quantity},
      {"a negative weight",
       changed(screening, [](event& e) { std::get<ev::screening>(e.body).weight_kg = kap::kilograms{-70}; }),
       errc::invalid_quantity},
      {"a negative optional reading",
       changed(vitals, [](event& e) { std::get<ev::vitals>(e.body).spo2 = kap::spo2_percent{-1}; }),
       errc::invalid_quantity},
      {"a dose of minus zero", built_event(dose_of(-0.0)), std::nullopt},
      {"the least positive dose", built_event(dose_of(std::numeric_limits<double>::denorm_min())), std::nullopt},
      {"the largest dose", built_event(dose_of(std::numeric_limits<double>::max())), std::nullopt},
      {"a NaN optional reading reads back as absent",
       changed(vitals, [&](event& e) { std::get<ev::vitals>(e.body).systolic = kap::mmhg{nan}; }), std::nullopt},
      // Enums: a value without a name is written as null.
      {"an unnamed role", changed(vitals, [](event& e) { e.actor.role = static_cast<kap::role>(40); }),
       errc::wrong_type},
      {"an unnamed drug",
       changed(built_event(dose_of(10)),
               [](event& e) { std::get<ev::dose>(e.body).drug = static_cast<kap::drug>(-1); }),
       errc::wrong_type},
      {"an unnamed route",
       changed(built_event(dose_of(10)),
               [](event& e) { std::get<ev::dose>(e.body).route = static_cast<kap::route>(5); }),
       errc::wrong_type},
      {"an unnamed severity",
       changed(adverse, [](event& e) { std::get<ev::adverse_event>(e.body).severity = static_cast<ev::severity>(42); }),
       errc::wrong_type},
      {"an unnamed optional outcome reads back as absent",
       changed(adverse,
               [](event& e) { std::get<ev::adverse_event>(e.body).outcome = static_cast<ev::adverse_outcome>(7); }),
       std::nullopt},
      // Durations.
      {"negative minutes", built_event(ev::intervention{"music", kap::minutes{-1}}), errc::out_of_range},
      {"the most negative minutes", built_event(ev::intervention{"music", kap::minutes::min()}), errc::out_of_range},
      {"the most minutes", built_event(ev::intervention{"music", kap::minutes::max()}), std::nullopt},
      // Instants: RFC 3339 has the years 0000-9999.
      {"an instant in 10043", changed(vitals, [](event& e) { e.at += hours{24 * 366 * 8000}; }),
       errc::invalid_timestamp},
      {"an instant a millisecond after 9999", changed(vitals, [&](event& e) { e.at = year9999_end + milliseconds{1}; }),
       errc::invalid_timestamp},
      {"an instant a millisecond before 0000", changed(vitals, [&](event& e) { e.at = year0 - milliseconds{1}; }),
       errc::invalid_timestamp},
      {"an instant in -40000", changed(vitals, [](event& e) { e.at = sys_days{year{-30000} / 1 / 1}; }),
       errc::invalid_timestamp},
      {"the first instant of 0000", changed(vitals, [&](event& e) { e.at = year0; }), std::nullopt},
      {"the last instant of 9999", changed(vitals, [&](event& e) { e.at = year9999_end; }), std::nullopt},
      // Ids.
      {"an event id with a space", changed(vitals, [](event& e) { e.id = kap::event_id{"e 1"}; }), errc::invalid_id},
      {"an empty session id", changed(vitals, [](event& e) { e.session = kap::session_id{}; }), errc::invalid_id},
      {"an actor id of 65 characters",
       changed(vitals, [](event& e) { e.actor.id = kap::actor_id{std::string(65, 'a')}; }), errc::invalid_id},
      {"an actor id in UTF-8", changed(vitals, [](event& e) { e.actor.id = kap::actor_id{"Jos\xc3\xa9"}; }),
       errc::invalid_id},
      {"an actor id of 64 characters",
       changed(vitals, [](event& e) { e.actor.id = kap::actor_id{std::string(64, 'a')}; }), std::nullopt},
      // Item answers: at most 16 characters.
      {"an item answer of 17 characters",
       changed(measured, [](event& e) { std::get<ev::measure>(e.body).items[1].text = std::string(17, 'y'); }),
       errc::out_of_range},
      {"an item answer of 17 digits",
       changed(measured, [](event& e) { std::get<ev::measure>(e.body).items[2].text = "12345678901234567"; }),
       errc::out_of_range},
      {"an item answer of 16 characters",
       changed(measured, [](event& e) { std::get<ev::measure>(e.body).items[1].text = "0123456789012345"; }),
       std::nullopt},
      {"an empty item answer", changed(measured, [](event& e) { std::get<ev::measure>(e.body).items[0].text.clear(); }),
       std::nullopt},
      // Invalid UTF-8, in every kind of string: the parser refuses it, naming a byte.
      {"invalid UTF-8 in a note", built_event(ev::note{"caf\xe9"}), errc::parse_error},
      {"a cut sequence ending a note", built_event(ev::note{"caf\xf0\x9f\x98"}), errc::parse_error},
      {"a surrogate in an abort reason", built_event(ev::abort{"x\xed\xa0\x80"}), errc::parse_error},
      {"an overlong slash in a phase", built_event(ev::phase{"\xc0\xaf"}), errc::parse_error},
      {"invalid UTF-8 in a screening answer's name",
       changed(screening, [](event& e) { std::get<ev::screening>(e.body).answers["\xff"] = true; }), errc::parse_error},
      {"invalid UTF-8 in a lot",
       changed(built_event(dose_of(10)), [](event& e) { std::get<ev::dose>(e.body).lot = "L\x80"; }),
       errc::parse_error},
      {"invalid UTF-8 in an item answer",
       changed(measured, [](event& e) { std::get<ev::measure>(e.body).items[0].text = "\xf5"; }), errc::parse_error},
      {"invalid UTF-8 in an instrument",
       changed(measured, [](event& e) { std::get<ev::measure>(e.body).instrument = "phq\xfe"; }), errc::parse_error},
      {"valid UTF-8 and escapes in a note", built_event(ev::note{"caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\"\n\x01"}),
       std::nullopt},
      // Which refusal comes first: the parser's, then the first member in reading order.
      {"invalid UTF-8 after an invalid id",
       changed(built_event(ev::note{"caf\xe9"}), [](event& e) { e.id = kap::event_id{"e 1"}; }), errc::parse_error},
      {"invalid UTF-8 after a negative dose",
       changed(built_event(dose_of(-3)), [](event& e) { std::get<ev::dose>(e.body).lot = "\xff"; }), errc::parse_error},
      {"an invalid id holding invalid UTF-8", changed(vitals, [](event& e) { e.id = kap::event_id{"e\xff"}; }),
       errc::parse_error},
      {"an unnamed role before a NaN dose",
       changed(built_event(dose_of(nan)), [](event& e) { e.actor.role = static_cast<kap::role>(9); }),
       errc::wrong_type},
      {"an instant after 9999 before an invalid actor id",
       changed(vitals,
               [](event& e) {
                 e.at += hours{24 * 366 * 8000};
                 e.actor.id = kap::actor_id{"a b"};
               }),
       errc::invalid_timestamp},
  };
}

TEST(CheckEvent, EveryRuleGivesTheReadersCodeAndMessage) {
  for (const auto& c : rule_cases()) {
    SCOPED_TRACE(c.what);
    const auto checked = kap::json::check_event(c.e);
    if (c.code) {
      ASSERT_FALSE(checked);
      EXPECT_EQ(checked.error().code, *c.code) << checked.error().message;
    } else {
      EXPECT_TRUE(checked) << checked.error().message;
    }
    EXPECT_TRUE(agree(c.e));
  }
}

TEST(CheckEvent, MessagesNameThePath) {
  auto message = [](const event& e) {
    const auto r = kap::json::check_event(e);
    return r ? std::string("passes") : r.error().message;
  };
  EXPECT_EQ(message(built_event(dose_of(std::nan("")))), "/mg: expected a number, got null");
  EXPECT_EQ(message(built_event(dose_of(-2))), "/mg: mg value must not be negative");
  auto role = built_event(dose_of(1));
  role.actor.role = static_cast<kap::role>(40);
  EXPECT_EQ(message(role), "/actor/role: expected a role name (string), got null");
  EXPECT_EQ(message(built_event(ev::measure{"phq9", {{"1"}, {std::string(20, '9')}}})),
            "/items/1: an item answer is at most 16 characters");
  EXPECT_EQ(message(built_event(ev::intervention{"music", kap::minutes{-5}})),
            "/minutes: a duration must not be negative");
  auto at = built_event(ev::note{"n"});
  at.at = sys_days{year{10000} / 1 / 1};
  EXPECT_EQ(message(at), "/at: \"10000-01-01T00:00:00Z\" is not an RFC 3339 timestamp: expected a date YYYY-MM-DD");
  EXPECT_EQ(message(built_event(ev::note{"caf\xe9"})), "invalid JSON at byte 133: syntax error");
}

// The UTF-8 rule is Boost.JSON's (the parser's), restated in the string codec's check: compared on every
// string of one or two bytes and on three- and four-byte strings built from each lead byte and
// the boundary values of the continuation ranges, at every alignment of the 8-byte ASCII path.
TEST(CheckEvent, Utf8RuleIsTheParsers) {
  auto parser_accepts = [](const std::string& s) {
    return kap::json::parse(kap::json::to_string(s), kap::json::stored_event_limits).has_value();
  };
  std::size_t checked = 0;
  auto compare = [&](const std::string& s) {
    ++checked;
    kap::json::read_error e;
    const bool mine = kap::json::check(s, e);
    if (mine != parser_accepts(s)) {
      std::string hex;
      for (const char c : s) hex += std::to_string(static_cast<unsigned char>(c)) + " ";
      ADD_FAILURE() << "check says " << mine << " for bytes " << hex;
    }
  };
  for (unsigned a = 0; a < 256; ++a) {
    compare(std::string(1, static_cast<char>(a)));
    for (unsigned b = 0; b < 256; ++b) {
      if (a < 0x80 && b < 0x80) continue;  // plain ASCII: covered by the single bytes
      compare({static_cast<char>(a), static_cast<char>(b)});
    }
  }
  const std::array<unsigned char, 10> edges{0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  for (unsigned lead = 0xC0; lead < 0x100; ++lead) {
    for (const auto b : edges) {
      for (const auto c : edges) {
        compare({static_cast<char>(lead), static_cast<char>(b), static_cast<char>(c)});
        for (const auto d : edges) {
          const std::string seq{static_cast<char>(lead), static_cast<char>(b), static_cast<char>(c),
                                static_cast<char>(d)};
          compare(std::string(lead % 11, 'x') + seq + std::string(lead % 5, 'y'));
        }
      }
    }
  }
  EXPECT_GT(checked, 70000U);
}

// --- seeded random events with random damage --------------------------------------------------

using rng_t = std::mt19937_64;

std::size_t pick(rng_t& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

// Text of 0-12 pieces: ASCII (with quotes, backslashes and control characters), valid UTF-8 of
// two to four bytes, and now and then a byte that breaks UTF-8.
std::string random_text(rng_t& rng, bool may_break) {
  static const char* const pieces[] = {"a",
                                       "Z",
                                       "0",
                                       " ",
                                       "\"",
                                       "\\",
                                       "\n",
                                       "\x01",
                                       "\x7f",
                                       "-",
                                       ".",
                                       "_",
                                       "\xc3\xa9",
                                       "\xe2\x82\xac",
                                       "\xf0\x9f\x98\x80",
                                       "\xed\x9f\xbf",
                                       "\xf4\x8f\xbf\xbf",
                                       "\xef\xbb\xbf"};
  static const char* const breakers[] = {"\x80",         "\xbf",         "\xc0\xaf",         "\xc3",
                                         "\xe0\x9f\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5",
                                         "\xff",         "\xe2\x82",     "\xf0\x9f\x98"};
  std::string s;
  const std::size_t n = pick(rng, 13);
  for (std::size_t i = 0; i < n; ++i) {
    if (may_break && pick(rng, 40) == 0) {
      s += breakers[pick(rng, std::size(breakers))];
    } else {
      s += pieces[pick(rng, std::size(pieces))];
    }
  }
  return s;
}

double random_amount(rng_t& rng) {
  static const double odd[] = {std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               -1.0,
                               -0.0,
                               0.0,
                               -std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::max(),
                               -std::numeric_limits<double>::max(),
                               98.12345678901234567,
                               1e21,
                               18446744073709551616.0};
  if (pick(rng, 2) == 0) return odd[pick(rng, std::size(odd))];
  return std::uniform_real_distribution<double>(-50.0, 400.0)(rng);
}

template <class E>
E random_enum(rng_t& rng) {
  static const int values[] = {0, 1, 2, 3, 4, 5, 6, 7, -1, 42, 255};
  return static_cast<E>(values[pick(rng, std::size(values))]);
}

template <class Id>
Id random_id(rng_t& rng) {
  static const char* const odd[] = {"", "a b", "e/1", "e\xc3\xa9", "e\xff", "\"", "ok-1"};
  switch (pick(rng, 6)) {
    case 0: return Id{odd[pick(rng, std::size(odd))]};
    case 1: return Id{std::string(63 + pick(rng, 3), 'i')};  // 63-65 characters
    case 2: return Id{random_text(rng, true)};
    default: return Id{"X-" + std::to_string(pick(rng, 1000))};
  }
}

kap::timestamp random_instant(rng_t& rng) {
  const kap::timestamp year0 = sys_days{year{0} / 1 / 1};
  const kap::timestamp after9999 = sys_days{year{10000} / 1 / 1};
  switch (pick(rng, 4)) {
    case 0: return year0 - milliseconds{static_cast<std::int64_t>(pick(rng, 3))};
    case 1: return after9999 - milliseconds{1} + milliseconds{static_cast<std::int64_t>(pick(rng, 3))};
    case 2: return base_time + days{static_cast<std::int64_t>(pick(rng, 8'000'000)) - 4'000'000};  // -8900 to 13000
    default: return base_time + milliseconds{static_cast<std::int64_t>(rng() % 1'000'000'000'000ULL)};
  }
}

kap::item_answer random_answer(rng_t& rng) {
  switch (pick(rng, 4)) {
    case 0: return {std::to_string(pick(rng, 1000))};
    case 1: return {std::string(pick(rng, 20), static_cast<char>('0' + pick(rng, 10)))};
    case 2: return {std::string(15 + pick(rng, 3), 'y')};  // 15-17 characters
    default: return {random_text(rng, true)};
  }
}

// A valid event of payload alternative `type`.
event valid_event(rng_t& rng, std::size_t type) {
  const std::string w = "w" + std::to_string(pick(rng, 100));
  switch (type) {
    case 0:
      return built_event(ev::screening{kap::kilograms{70}, 41, {{"pregnancy", false}, {"psychosis_history", true}}});
    case 1: return built_event(ev::override_contraindication{"psychosis_history", "remote history, reviewed " + w});
    case 2: return built_event(ev::consent{"kap-course"});
    case 3: return built_event(ev::checklist{"driver_arranged"});
    case 4: return built_event(ev::phase{"dosing"});
    case 5:
      return built_event(
          ev::vitals{kap::mmhg{132}, kap::mmhg{84}, kap::bpm{78}, kap::spo2_percent{98}, kap::breaths_per_min{14}});
    case 6: return built_event(dose_of(56));
    case 7: return built_event(ev::measure{"phq9", {{"1"}, {"1a"}, {"-"}, {"12"}}});
    case 8: return built_event(ev::intervention{"guided_meditation", kap::minutes{40}});
    case 9: return built_event(ev::adverse_event{"nausea", ev::severity::mild, ev::adverse_outcome::resolved});
    case 10: return built_event(ev::signoff{"discharge"});
    case 11: return built_event(ev::note{"calm; \"line\"\nbreak " + w});
    default: return built_event(ev::abort{"patient request"});
  }
}

void damage_payload(rng_t& rng, kap::payload& body) {
  std::visit(
      [&](auto& p) {
        using P = std::remove_cvref_t<decltype(p)>;
        if constexpr (std::is_same_v<P, ev::screening>) {
          if (pick(rng, 2) == 0) {
            p.weight_kg = kap::kilograms{random_amount(rng)};
          } else {
            p.answers[random_text(rng, true)] = pick(rng, 2) == 0;
          }
        } else if constexpr (std::is_same_v<P, ev::override_contraindication>) {
          (pick(rng, 2) == 0 ? p.contraindication : p.justification) = random_text(rng, true);
        } else if constexpr (std::is_same_v<P, ev::consent>) {
          p.scope = random_text(rng, true);
        } else if constexpr (std::is_same_v<P, ev::checklist>) {
          p.item = random_text(rng, true);
        } else if constexpr (std::is_same_v<P, ev::phase>) {
          p.to = random_text(rng, true);
        } else if constexpr (std::is_same_v<P, ev::vitals>) {
          auto set = [&](auto& reading) {
            using Q = typename std::remove_cvref_t<decltype(reading)>::value_type;
            if (pick(rng, 4) == 0) {
              reading.reset();
            } else {
              reading = Q{random_amount(rng)};
            }
          };
          switch (pick(rng, 5)) {
            case 0: set(p.systolic); break;
            case 1: set(p.diastolic); break;
            case 2: set(p.heart_rate); break;
            case 3: set(p.spo2); break;
            default: set(p.respiratory_rate); break;
          }
        } else if constexpr (std::is_same_v<P, ev::dose>) {
          switch (pick(rng, 4)) {
            case 0: p.drug = random_enum<kap::drug>(rng); break;
            case 1: p.route = random_enum<kap::route>(rng); break;
            case 2: p.mg = kap::milligrams{random_amount(rng)}; break;
            default: p.lot = pick(rng, 3) == 0 ? std::nullopt : std::optional<std::string>(random_text(rng, true));
          }
        } else if constexpr (std::is_same_v<P, ev::measure>) {
          if (pick(rng, 3) == 0) {
            p.instrument = random_text(rng, true);
          } else {
            p.items[pick(rng, p.items.size())] = random_answer(rng);
          }
        } else if constexpr (std::is_same_v<P, ev::intervention>) {
          if (pick(rng, 3) == 0) {
            p.kind = random_text(rng, true);
          } else {
            static const std::int64_t lengths[] = {-1, 0, 90, std::numeric_limits<std::int64_t>::min(),
                                                   std::numeric_limits<std::int64_t>::max()};
            p.minutes = kap::minutes{lengths[pick(rng, std::size(lengths))]};
          }
        } else if constexpr (std::is_same_v<P, ev::adverse_event>) {
          switch (pick(rng, 3)) {
            case 0: p.kind = random_text(rng, true); break;
            case 1: p.severity = random_enum<ev::severity>(rng); break;
            default:
              p.outcome = pick(rng, 3) == 0 ? std::nullopt
                                            : std::optional<ev::adverse_outcome>(random_enum<ev::adverse_outcome>(rng));
          }
        } else if constexpr (std::is_same_v<P, ev::signoff>) {
          p.what = random_text(rng, true);
        } else if constexpr (std::is_same_v<P, ev::note>) {
          p.text = random_text(rng, true);
        } else {
          static_assert(std::is_same_v<P, ev::abort>);
          p.reason = random_text(rng, true);
        }
      },
      body);
}

void damage(rng_t& rng, event& e) {
  switch (pick(rng, 12)) {  // the envelope a third of the time, the payload otherwise
    case 0: e.id = random_id<kap::event_id>(rng); break;
    case 1: e.session = random_id<kap::session_id>(rng); break;
    case 2: e.actor.id = random_id<kap::actor_id>(rng); break;
    case 3: e.actor.role = random_enum<kap::role>(rng); break;
    case 4: e.at = random_instant(rng); break;
    default: damage_payload(rng, e.body); break;
  }
}

TEST(CheckEvent, AgreesWithTheReaderOnRandomlyDamagedEvents) {
  rng_t rng(20261127);
  std::map<std::string, std::size_t> outcomes;  // "passes" or the code, for the coverage check
  constexpr std::size_t cases = 8000;
  for (std::size_t i = 0; i < cases; ++i) {
    event e = valid_event(rng, i % kap::event_type_count);
    const std::size_t harms = pick(rng, 4);  // a quarter stay as built
    for (std::size_t h = 0; h < harms; ++h) damage(rng, e);
    const auto checked = kap::json::check_event(e);
    ++outcomes[checked ? "passes" : std::string(kap::to_string(checked.error().code))];
    ASSERT_TRUE(agree(e)) << "case " << i;
  }
  // Every kind of refusal was met, and so were events that pass.
  for (const char* o :
       {"passes", "wrong_type", "invalid_quantity", "out_of_range", "invalid_timestamp", "invalid_id", "parse_error"}) {
    EXPECT_GE(outcomes[o], 50U) << o;
  }
  EXPECT_GE(outcomes["passes"], cases / 4);
}

}  // namespace
