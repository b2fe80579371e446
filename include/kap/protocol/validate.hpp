#pragma once

/// @file
/// Checking a protocol definition, and the type the engine accepts.
///
/// Parse, don't validate: `validate(protocol)` returns a `validated_protocol` - the only thing a
/// `kap::session` runs - or every problem found, each with its path into the definition
/// (`/transitions/3/to: no phase "monitor"`). The checks: ids unique and referenced phases
/// present; the initial phase present; an `aborted` phase present; every phase reachable from
/// the initial one; a terminal phase reachable from every phase; min <= max durations; every
/// dosing phase covered by a vitals schedule; dose limits with at least one amount bound, at
/// most one limit per route, and a protocol with a dosing phase has limits; hold limits by age
/// youngest first, at ages 0-130, each band giving a limit; every dose and vitals limit a finite,
/// non-negative amount; every enum value (tier, kind, route, drug, role, ...) one with a name;
/// schedules and measure points refer to existing phases; requirement fields not empty.

#include <kap/core/config.hpp>
#include <kap/core/enum_name.hpp>
#include <kap/core/result.hpp>
#include <kap/protocol/detail/engine_tables.hpp>
#include <kap/protocol/protocol.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kap {

/// One problem in a protocol definition.
struct problem {
  std::string path;     ///< JSON pointer into the definition, e.g. "/phases/2/max_duration"
  std::string message;  ///< what is wrong
  friend bool operator==(const problem&, const problem&) = default;
};
BOOST_DESCRIBE_STRUCT(problem, (), (path, message))

/// Every problem in a protocol definition (empty when it is valid).
[[nodiscard]] KAP_CORE_API std::vector<problem> check_protocol(const protocol& p);


/// A protocol that passed `validate()`, with lookup tables the engine uses. Immutable; cheap to
/// share between sessions through `std::shared_ptr<const validated_protocol>`.
class validated_protocol;

/// Checks a protocol and wraps it for the engine (declared here for the class's friendship;
/// documented below).
[[nodiscard]] KAP_CORE_API result<validated_protocol> validate(protocol p);

/// A protocol that passed every check (described at the declaration above).
class KAP_CORE_API validated_protocol {
 public:
  /// The definition.
  [[nodiscard]] const protocol& definition() const noexcept { return p_; }
  /// Index of a phase by id, or -1.
  [[nodiscard]] int phase_index(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < p_.phases.size(); ++i) {
      if (p_.phases[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  /// The effective permission for an event type (the protocol's, or kap's default).
  [[nodiscard]] const permission& permission_for(event_type t) const noexcept {
    return permissions_[static_cast<std::size_t>(t)];
  }
  /// The transition from one phase to another, or nullptr when the protocol has none.
  [[nodiscard]] const transition* find_transition(std::string_view from, std::string_view to) const noexcept {
    for (const auto& t : p_.transitions) {
      if (t.from == from && t.to == to) return &t;
    }
    return nullptr;
  }
  /// The id of the phase of kind `aborted`.
  [[nodiscard]] const std::string& aborted_phase() const noexcept { return p_.phases[aborted_].id; }
  /// True when the protocol holds a C++ predicate and so cannot be written as JSON.
  [[nodiscard]] bool serialisable() const noexcept { return serialisable_; }
  /// The lookup tables the session engine reads, built once here rather than per session. Not a
  /// stable interface (kap::detail): programs other than the engine have no use for it.
  [[nodiscard]] const detail::engine_tables& engine_tables() const noexcept { return tables_; }

 private:

  friend result<validated_protocol> validate(protocol p);
  explicit validated_protocol(protocol p);
  protocol p_;
  std::array<permission, event_type_count> permissions_{};
  std::size_t aborted_ = 0;
  bool serialisable_ = true;
  detail::engine_tables tables_;
};

/// Checks a protocol and wraps it for the engine.
/// @return the validated protocol, or `errc::invalid_protocol` whose message lists every
///         problem, one per line, as "path: message"
[[nodiscard]] KAP_CORE_API result<validated_protocol> validate(protocol p);

}  // namespace kap

// The definitions: compiled into kap::core (src/protocol/validate.cpp), or, with KAP_HEADER_ONLY,
// included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/protocol/validate-inl.hpp>
#endif
