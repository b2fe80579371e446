#pragma once

/// @file
/// The lookup tables validate builds for the session engine. Private to kap (kap::detail): built
/// by kap/protocol/validate-inl.hpp, read by the engine (kap/session/*-inl.hpp).

#include <kap/protocol/protocol.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kap {

namespace detail {
/// Lookup tables `kap::session` uses, built once per validated protocol (not per session).
struct engine_tables {
  int initial = 0;  ///< the initial phase's index
  std::array<std::uint32_t, event_type_count> may_record{};  ///< per event type: a bit per role allowed to record it
  std::vector<unsigned char> vitals_active;  ///< [schedule * phases + phase]: the vitals schedule is active there
  std::vector<int> measure_phase;            ///< per measure schedule: its phase's index
  /// Every scheduled check by a small number, so open alerts are matched to checks without
  /// comparing strings; checks of the same name share a number (and an alert).
  std::vector<std::string> check_names;
  std::uint32_t vitals_check = 0;            ///< the number of "vitals"
  std::vector<std::uint32_t> dose_check_id;  ///< per dose check: its number
  std::vector<std::uint32_t> measure_id;     ///< per measure schedule: its number
};
}  // namespace detail

}  // namespace kap
