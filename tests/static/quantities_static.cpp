// Compile-time facts about kap's vocabulary. Building this file is the test: each
// static_assert fails the build when a rule is broken, including the negative `requires`
// checks that prove wrong combinations do not compile.
#include <kap/core/ids.hpp>
#include <kap/core/quantities.hpp>
#include <kap/core/time.hpp>

#include <chrono>
#include <string>
#include <type_traits>

namespace {

using namespace kap;

template <class A, class B>
concept addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept multipliable = requires(A a, B b) { a * b; };
template <class A, class B>
concept comparable = requires(A a, B b) { a < b; };
template <class A, class B>
concept assignable = requires(A& a, B b) { a = b; };

// Same-unit arithmetic works.
static_assert(addable<milligrams, milligrams>);
static_assert(std::is_same_v<decltype(milligrams{1} + milligrams{2}), milligrams>);
static_assert((milligrams{1} + milligrams{2}).count() == 3.0);

// Dose = mg/kg x kg -> mg, both ways round, and mg / kg -> mg/kg.
static_assert(std::is_same_v<decltype(mg_per_kg{0.5} * kilograms{70}), milligrams>);
static_assert(std::is_same_v<decltype(kilograms{70} * mg_per_kg{0.5}), milligrams>);
static_assert(std::is_same_v<decltype(milligrams{35} / kilograms{70}), mg_per_kg>);
static_assert((mg_per_kg{0.5} * kilograms{70}).count() == 35.0);

// Units do not mix.
static_assert(!addable<milligrams, kilograms>);
static_assert(!addable<milligrams, mg_per_kg>);
static_assert(!addable<mmhg, bpm>);
static_assert(!addable<spo2_percent, breaths_per_min>);
static_assert(!addable<milligrams, double>);
static_assert(!comparable<milligrams, kilograms>);
static_assert(!comparable<mmhg, double>);
static_assert(!assignable<milligrams, kilograms>);
static_assert(!assignable<milligrams, double>);  // construction from a number is explicit
static_assert(!std::is_convertible_v<double, milligrams>);
static_assert(!std::is_convertible_v<milligrams, double>);
static_assert(!multipliable<milligrams, kilograms>);  // mg x kg means nothing
static_assert(!multipliable<mg_per_kg, milligrams>);
static_assert(!multipliable<mmhg, mmhg>);

// The Quantity concept.
static_assert(Quantity<milligrams> && Quantity<bpm>);
static_assert(!Quantity<double> && !Quantity<int>);

// Ids do not mix.
static_assert(!std::is_convertible_v<session_id, subject_id>);
static_assert(!assignable<session_id, subject_id>);
static_assert(!assignable<event_id, std::string>);
static_assert(!std::is_convertible_v<std::string, actor_id>);
static_assert(Id<session_id> && !Id<std::string>);

// Timestamps have millisecond precision.
static_assert(std::is_same_v<timestamp::duration, std::chrono::milliseconds>);
static_assert(std::is_same_v<timestamp::clock, std::chrono::system_clock>);

}  // namespace
