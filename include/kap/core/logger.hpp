#pragma once

/// @file
/// The logging interface of kap: a small abstract sink that does nothing by default.
///
/// Core code never names a logging library. A host that wants kap's diagnostics passes a
/// `kap::logger` (for spdlog, `kap/log/spdlog.hpp` adapts one). kap logs event kinds, codes and
/// pseudonymous session ids only, never a note's text, a measure's answers or anything else a
/// person typed. A logger must not throw; kap calls it from `noexcept` paths.

#include <string_view>

namespace kap {

/// Severity of a log message.
enum class log_level { trace, debug, info, warn, error, off };

/// Where kap's diagnostics go. Thread-safety is the implementation's to document.
class logger {
 public:
  virtual ~logger() = default;
  /// True when a message at `level` would be written; kap skips formatting otherwise.
  [[nodiscard]] virtual bool enabled(log_level level) const noexcept = 0;
  /// Writes one message. Must not throw.
  virtual void write(log_level level, std::string_view message) noexcept = 0;
};

/// A logger that discards everything: the default everywhere in kap.
class null_logger final : public logger {
 public:
  [[nodiscard]] bool enabled(log_level) const noexcept override { return false; }
  /// Discards the message.
  void write(log_level, std::string_view) noexcept override {}
};

/// The shared do-nothing logger (stateless, so sharing it is not global mutable state).
[[nodiscard]] inline logger& no_logger() noexcept {
  static null_logger instance;
  return instance;
}

}  // namespace kap
