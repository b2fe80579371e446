#include <kap/log/spdlog.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include <utility>

namespace kap::log {
namespace {

spdlog::level::level_enum to_spdlog(log_level l) noexcept {
  switch (l) {
    case log_level::trace: return spdlog::level::trace;
    case log_level::debug: return spdlog::level::debug;
    case log_level::info: return spdlog::level::info;
    case log_level::warn: return spdlog::level::warn;
    case log_level::error: return spdlog::level::err;
    case log_level::off: return spdlog::level::off;
  }
  return spdlog::level::off;
}

}  // namespace

spdlog_logger::spdlog_logger() : log_(std::make_shared<spdlog::logger>("kap")) {
  log_->set_level(spdlog::level::info);
  log_->set_error_handler([](const std::string&) {});  // logging never fails the caller
}

spdlog_logger::spdlog_logger(std::shared_ptr<spdlog::logger> host) : log_(std::move(host)) {}

void spdlog_logger::add_sink(std::shared_ptr<spdlog::sinks::sink> sink) { log_->sinks().push_back(std::move(sink)); }

void spdlog_logger::set_level(log_level level) { log_->set_level(to_spdlog(level)); }

std::shared_ptr<spdlog::logger> spdlog_logger::underlying() const noexcept { return log_; }

bool spdlog_logger::enabled(log_level level) const noexcept {
  return level != log_level::off && !log_->sinks().empty() && log_->should_log(to_spdlog(level));
}

void spdlog_logger::write(log_level level, std::string_view message) noexcept {
  try {
    log_->log(to_spdlog(level), spdlog::string_view_t(message.data(), message.size()));
  } catch (...) {  // NOLINT(bugprone-empty-catch): a failed log line must not fail kap
  }
}

}  // namespace kap::log
