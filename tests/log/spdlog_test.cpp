#include <kap/log/spdlog.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

namespace {

TEST(SpdlogLogger, SilentUntilASinkIsInstalled) {
  kap::log::spdlog_logger log;
  EXPECT_EQ(log.underlying()->name(), "kap");
  EXPECT_FALSE(log.enabled(kap::log_level::error));
  log.write(kap::log_level::error, "dropped");  // no sink: nothing happens, nothing throws

  std::ostringstream os;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(os);
  sink->set_pattern("%l %v");
  log.add_sink(sink);
  EXPECT_TRUE(log.enabled(kap::log_level::info));
  EXPECT_FALSE(log.enabled(kap::log_level::debug));
  log.write(kap::log_level::info, "session S-1 accepted vitals");
  log.write(kap::log_level::debug, "below the level");
  EXPECT_EQ(os.str(), "info session S-1 accepted vitals\n");

  log.set_level(kap::log_level::debug);
  EXPECT_TRUE(log.enabled(kap::log_level::debug));
  EXPECT_FALSE(log.enabled(kap::log_level::off));
}

TEST(SpdlogLogger, AdoptsTheHostLogger) {
  std::ostringstream os;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(os);
  sink->set_pattern("[%n] %v");
  auto host = std::make_shared<spdlog::logger>("clinic-app", sink);
  kap::log::spdlog_logger log(host);
  log.write(kap::log_level::warn, "overdue check");
  EXPECT_EQ(os.str(), "[clinic-app] overdue check\n");
  EXPECT_EQ(log.underlying(), host);
}

TEST(NullLogger, IsTheSilentDefault) {
  kap::logger& log = kap::no_logger();
  EXPECT_FALSE(log.enabled(kap::log_level::error));
  log.write(kap::log_level::error, "nothing");
  EXPECT_EQ(&log, &kap::no_logger());
}

}  // namespace
