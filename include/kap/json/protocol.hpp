#pragma once

/// @file
/// JSON for protocols: the `kap.protocol/1` file format (docs/protocol-format.md), with
/// requirements as objects tagged by `"kind"`.

#include <kap/json/codec.hpp>
#include <kap/protocol/protocol.hpp>

#include <array>
#include <string>
#include <string_view>

namespace kap::json {

/// The format name a protocol file carries in `"format"`.
inline constexpr std::string_view protocol_format = "kap.protocol/1";

// Members a protocol file may leave out (their defaults are documented in docs/protocol-format.md).
template <>
struct defaulted_members<protocol> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 11> names{"version",  "title",       "sources",     "disclaimer",
                                                          "transitions", "dose_requires", "limits", "vitals",
                                                          "schedules",   "permissions",   "contraindications"};
};
template <>
struct defaulted_members<phase> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"entry"};
};
template <>
struct defaulted_members<transition> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"require"};
};
template <>
struct defaulted_members<vitals_thresholds> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 3> names{"hold", "critical", "hold_by_age"};
};
template <>
struct omitted_when_empty<vitals_thresholds> {
  /// Written only when a protocol has age bands (added after kap.protocol/1's first files).
  static constexpr std::array<std::string_view, 1> names{"hold_by_age"};
};
template <>
struct defaulted_members<schedules> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 4> names{"vitals", "dose_checks", "measures", "grace"};
};
template <>
struct defaulted_members<dose_limit> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 2> names{"max_doses", "min_interval"};
};
template <>
struct defaulted_members<dose_check> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"tolerance"};
};
template <>
struct defaulted_members<permission> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"licensed"};
};
template <>
struct defaulted_members<requirements::vitals_within> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"max_age"};
};
template <>
struct defaulted_members<requirements::no_open_alerts> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"severity"};
};
template <>
struct defaulted_members<contraindication> {
  /// The members a reader may find absent (they keep their defaults).
  static constexpr std::array<std::string_view, 1> names{"source"};
};

template <>
struct codec<requirement> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  KAP_JSON_EXPORT static bool read(const boost::json::value& v, requirement& out, read_error& e);
  /// Appends `x` to `out` as JSON.
  KAP_JSON_EXPORT static void write(std::string& out, const requirement& x);
};

/// Reads a protocol file. Checks `"format"` first (`errc::unsupported_schema` for any other
/// format), then reads strictly. It does not validate the definition: call `kap::validate`.
/// Text over `limits` (by default `protocol_read_limits`: 1 MiB, depth 32, strings of 16 KiB) is
/// refused with `errc::too_large` before it is parsed or read.
[[nodiscard]] KAP_JSON_EXPORT result<protocol> read_protocol(std::string_view text,
                                                             const read_limits& limits = protocol_read_limits);
/// Writes a protocol as a kap.protocol/1 file (one line). A protocol holding a C++ predicate
/// cannot be written: `errc::unsupported_schema`.
[[nodiscard]] KAP_JSON_EXPORT result<std::string> write_protocol(const protocol& p);

}  // namespace kap::json
