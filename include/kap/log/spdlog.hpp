#pragma once

/// @file
/// Hands kap's diagnostics to spdlog.
///
/// `kap::log::spdlog_logger` is a `kap::logger` backed by an spdlog logger named "kap". Made
/// with no arguments it has no sinks, so it is silent until the host calls `add_sink`; or the
/// host hands over a logger of its own. It never touches spdlog's global registry, so it neither
/// finds nor replaces loggers by name, and the hot path makes no registry lookup. Errors inside
/// spdlog are caught and dropped: logging never fails the caller. This header names spdlog
/// types only through `spdlog/fwd.h`; spdlog itself is included by src/log/spdlog.cpp alone.

#include <kap/core/logger.hpp>
#include <kap/log_export.hpp>

#include <spdlog/fwd.h>

#include <memory>
#include <string_view>

namespace kap::log {

/// A `kap::logger` that writes through spdlog. Thread-safe as spdlog's `_mt` sinks are.
class KAP_LOG_EXPORT spdlog_logger final : public logger {
 public:
  /// A logger named "kap" with no sinks (silent), at level info, not registered globally.
  spdlog_logger();
  /// Adopts the host's spdlog logger (its name, sinks and level).
  /// @param host the logger; must not be null
  explicit spdlog_logger(std::shared_ptr<spdlog::logger> host);

  /// Adds a sink; from then on messages at or above the level reach it.
  void add_sink(std::shared_ptr<spdlog::sinks::sink> sink);
  /// Sets the lowest level written.
  void set_level(log_level level);
  /// The spdlog logger underneath.
  [[nodiscard]] std::shared_ptr<spdlog::logger> underlying() const noexcept;

  /// True when spdlog would write a message at `level`.
  [[nodiscard]] bool enabled(log_level level) const noexcept override;
  /// Writes through spdlog; spdlog's own errors are swallowed (logging never fails the caller).
  void write(log_level level, std::string_view message) noexcept override;

 private:
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace kap::log
