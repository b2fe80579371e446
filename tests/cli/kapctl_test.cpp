#include "command.hpp"

#include <kap/version.hpp>

#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kapctl::test::lines;
using kapctl::test::outcome;
using kapctl::test::run;
using kapctl::test::slurp;



TEST(Kapctl, Version) {
  auto r = run({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("kapctl ") + kap::version_string + "\n");
}

TEST(Kapctl, HelpListsEveryCommand) {
  auto r = run({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const auto& c : kapctl::commands()) {
    EXPECT_NE(r.out.find(std::string(c.name)), std::string::npos) << c.name;
    EXPECT_NE(r.out.find(std::string(c.summary)), std::string::npos) << c.name;
  }
  EXPECT_NE(r.out.find("not medical advice"), std::string::npos);
}

TEST(Kapctl, EverySubcommandHasHelp) {
  for (const auto& c : kapctl::commands()) {
    auto r = run({c.name, "--help"});
    EXPECT_EQ(r.status, 0) << c.name;
    EXPECT_EQ(r.out.rfind("Usage: kapctl " + std::string(c.name), 0), 0U) << c.name << ": " << r.out;
  }
}

TEST(Kapctl, NoArgumentsIsAUsageError) {
  auto r = run({});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("Usage: kapctl"), std::string::npos);
}

TEST(Kapctl, UnknownCommandIsAUsageError) {
  auto r = run({"frobnicate"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "kapctl: unknown command 'frobnicate'\nRun 'kapctl --help' for the list of commands.\n");
}

TEST(KapctlDose, ComputesMilligrams) {
  auto r = run({"dose", "--mg-per-kg", "0.5", "--weight-kg", "70.5", "--max-mg", "40"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, R"({"mg_per_kg":0.5,"weight_kg":70.5,"mg":35.25,"max_mg":40,"within_limit":true})" "\n");
  auto over = run({"dose", "--mg-per-kg", "1", "--weight-kg", "70", "--max-mg", "40"});
  EXPECT_EQ(over.status, 0);
  EXPECT_NE(over.out.find(R"("within_limit":false)"), std::string::npos);
}

TEST(KapctlDose, BadInput) {
  auto negative = run({"dose", "--mg-per-kg", "-0.5", "--weight-kg", "70"});
  EXPECT_EQ(negative.status, 1);
  EXPECT_EQ(negative.err, "kapctl dose: --mg-per-kg: mg/kg value must not be negative\n");
  auto nan = run({"dose", "--mg-per-kg", "nan", "--weight-kg", "70"});
  EXPECT_EQ(nan.status, 1);
  EXPECT_EQ(nan.err, "kapctl dose: --mg-per-kg: \"nan\" is not a finite number\n");
  // Two finite numbers whose product is not: errc::invalid_quantity, exit 1, nothing printed.
  auto huge = run({"dose", "--mg-per-kg", "1e200", "--weight-kg", "1e200"});
  EXPECT_EQ(huge.status, 1);
  EXPECT_EQ(huge.out, "");
  EXPECT_EQ(huge.err, "kapctl dose: --mg-per-kg x --weight-kg: mg value is not finite (1e200 x 1e200 is too large)\n");
  auto huge_with_max = run({"dose", "--mg-per-kg", "1e200", "--weight-kg", "1e200", "--max-mg", "40"});
  EXPECT_EQ(huge_with_max.status, 1);
  EXPECT_EQ(huge_with_max.out, "");
  auto missing = run({"dose", "--weight-kg", "70"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err.rfind("kapctl dose: --mg-per-kg and --weight-kg are required\n", 0), 0U);
  auto unknown = run({"dose", "--mg", "3"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err.rfind("kapctl dose: unknown option --mg\n", 0), 0U);
  auto no_value = run({"dose", "--weight-kg"});
  EXPECT_EQ(no_value.status, 2);
  EXPECT_EQ(no_value.err.rfind("kapctl dose: --weight-kg needs a value\n", 0), 0U);
}

TEST(KapctlTime, NormalisesAndRejects) {
  auto ok = run({"time", "2026-11-26T11:15:00+01:00", "2026-11-26T10:15:00.250Z"});
  EXPECT_EQ(ok.status, 0);
  EXPECT_EQ(ok.out, "2026-11-26T10:15:00Z\n2026-11-26T10:15:00.250Z\n");
  auto bad = run({"time", "2026-11-26T10:15:00"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(bad.err,
            "kapctl time: \"2026-11-26T10:15:00\" is not an RFC 3339 timestamp: missing time zone ('Z' or an offset)\n");
  EXPECT_EQ(run({"time"}).status, 2);
}

}  // namespace
