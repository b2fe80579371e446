#include "command.hpp"

#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using kapctl::test::lines;
using kapctl::test::outcome;
using kapctl::test::run;
using kapctl::test::slurp;




TEST(KapctlSimulate, SameSeedGivesByteIdenticalOutput) {
  const auto dir = std::filesystem::temp_directory_path() / "kap-sim-test";
  std::filesystem::remove_all(dir);
  const std::string a = (dir / "a").string();
  const std::string b = (dir / "b").string();
  auto first = run({"simulate", "--arm", "im-kap:12", "--arm", "psychotherapy-50:12", "--seed", "7", "--out", a});
  auto second = run({"simulate", "--arm", "im-kap:12", "--arm", "psychotherapy-50:12", "--seed", "7", "--out", b});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.out.substr(0, first.out.find("wrote")), second.out.substr(0, second.out.find("wrote")));
  EXPECT_EQ(first.out.rfind("SYNTHETIC DATA", 0), 0U);
  for (const char* f : {"courses.json", "summary.json", "events-im-kap.jsonl", "events-psychotherapy-50.jsonl"}) {
    const auto x = slurp(std::filesystem::path(a) / f);
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(std::filesystem::path(b) / f)) << f;
  }
  EXPECT_NE(slurp(std::filesystem::path(a) / "courses.json").find("\"synthetic\":true"), std::string::npos);
  auto other = run({"simulate", "--arm", "im-kap:12", "--seed", "8"});
  EXPECT_NE(other.out, first.out.substr(0, first.out.find("\nwrote")));

  // kapctl cohort reads the courses file back and prints the same table.
  auto cohort = run({"cohort", (std::filesystem::path(a) / "courses.json").string()});
  EXPECT_EQ(cohort.status, 0) << cohort.err;
  EXPECT_EQ(cohort.out, first.out.substr(0, first.out.find("\nwrote")));
  auto json = run({"cohort", (std::filesystem::path(a) / "courses.json").string(), "--json"});
  EXPECT_EQ(json.out, slurp(std::filesystem::path(a) / "summary.json"));
  std::filesystem::remove_all(dir);
}

TEST(KapctlSimulate, ProgressIsAPlainLineAtEveryQuarterWhenNotATerminal) {
  auto r = run({"simulate", "--arm", "im-kap:5", "--arm", "psychotherapy-50:3", "--seed", "7"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto got = lines(r.err);
  ASSERT_EQ(got.size(), 4U) << r.err;
  for (const auto& l : got) EXPECT_EQ(l.rfind("simulating (synthetic): ", 0), 0U) << l;
  EXPECT_EQ(got.back(), "simulating (synthetic): 8/8 patients (100%)");
  EXPECT_EQ(r.err.find('\r'), std::string::npos);  // no bar redrawing into a log file
}

TEST(KapctlSimulate, UsageErrors) {
  auto none = run({"simulate"});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err.rfind("kapctl simulate: give at least one --arm PROTOCOL:N\n", 0), 0U);
  auto no_n = run({"simulate", "--arm", "im-kap"});
  EXPECT_EQ(no_n.status, 2);
  EXPECT_EQ(no_n.err.rfind("kapctl simulate: --arm im-kap: expected PROTOCOL:N\n", 0), 0U);
  auto zero = run({"simulate", "--arm", "im-kap:0"});
  EXPECT_EQ(zero.err.rfind("kapctl simulate: --arm im-kap:0: N must be a whole number from 1 to 100000\n", 0), 0U);
  auto seed = run({"simulate", "--arm", "im-kap:1", "--seed", "x"});
  EXPECT_EQ(seed.err.rfind("kapctl simulate: --seed: \"x\" is not a whole number >= 0\n", 0), 0U);
  auto unknown = run({"simulate", "--arm", "no-such-protocol:3"});
  EXPECT_EQ(unknown.status, 2);
}

TEST(KapctlCohort, BadFilesNameThePath) {
  const auto dir = std::filesystem::temp_directory_path() / "kap-cohort-test";
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const char* text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  auto wrong = run({"cohort", write("wrong.json", R"({"format":"kap.courses/1","synthetic":false,"instrument":"phq9","courses":[{"arm":"x"}]})")});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.err.find("/courses/0/subject: missing required field"), std::string::npos) << wrong.err;
  auto format = run({"cohort", write("format.json", R"({"format":"kap.courses/9","synthetic":false,"instrument":"phq9","courses":[]})")});
  EXPECT_EQ(format.status, 1);
  EXPECT_NE(format.err.find("/format: unsupported format \"kap.courses/9\""), std::string::npos);
  auto broken = run({"cohort", write("broken.json", "{")});
  EXPECT_EQ(broken.status, 1);  // read, and found not to be JSON
  auto missing = run({"cohort", (dir / "nope.json").string()});
  EXPECT_EQ(missing.status, 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
