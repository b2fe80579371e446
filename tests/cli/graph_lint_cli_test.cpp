// kapctl graph and kapctl lint.
#include "command.hpp"

#include "cli_helpers.hpp"

#include <kap/graph/graph.hpp>
#include <kap/json.hpp>
#include <kap/json/reference.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using kapctl::test::run;

const std::string data_dir = std::string(KAP_TEST_DATA_DIR) + "/lint/";
const std::string session_dir = KAP_TEST_DATA_DIR;

using kapctl::test::contains;

// --- lint --------------------------------------------------------------------------------------

TEST(KapctlLint, EveryReferenceProtocolIsClean) {
  for (auto name : kap::json::reference_protocol_names()) {
    auto r = run({"lint", name});
    EXPECT_EQ(r.status, 0) << name << "\n" << r.out << r.err;
    EXPECT_EQ(r.out, "protocol " + std::string(name) + " version 1: 0 errors, 0 warnings\n");
  }
}

TEST(KapctlLint, FindingsArePrintedAndExitOne) {
  const std::string file = data_dir + "unmonitored.json";
  auto r = run({"lint", file});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out,
            "error unmonitored_after_dose /phases/2: phase \"monitoring\" can follow a dose before discharge, but no "
            "vitals schedule covers it: add it to /schedules/vitals.\n"
            "error discharge_without_dose_wait /phases/3/entry: discharge phase \"discharge\" can be entered after a "
            "dose without a minimum time since the last dose: add min_time_since_dose to its entry.\n"
            "protocol lint-unmonitored version 1: 2 errors, 0 warnings\n");
}

TEST(KapctlLint, JsonOutput) {
  auto r = run({"lint", data_dir + "unmonitored.json", "--json"});
  EXPECT_EQ(r.status, 1);
  boost::json::error_code ec;
  const auto v = boost::json::parse(r.out, ec);
  ASSERT_FALSE(ec) << r.out;
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("protocol").as_string(), "lint-unmonitored");
  EXPECT_EQ(o.at("errors").to_number<int>(), 2);
  EXPECT_EQ(o.at("warnings").to_number<int>(), 0);
  const auto& f = o.at("findings").as_array();
  ASSERT_EQ(f.size(), 2U);
  EXPECT_EQ(f[0].at("code").as_string(), "unmonitored_after_dose");
  EXPECT_EQ(f[0].at("severity").as_string(), "error");
  EXPECT_EQ(f[0].at("path").as_string(), "/phases/2");
  auto clean = run({"lint", "im-kap", "--json"});
  EXPECT_EQ(clean.status, 0);
  EXPECT_EQ(clean.out, "{\"protocol\":\"im-kap\",\"version\":\"1\",\"errors\":0,\"warnings\":0,\"findings\":[]}\n");
}

TEST(KapctlLint, WarningsFailOnlyWhenStrict) {
  const std::string file = data_dir + "warning-only.json";
  auto r = run({"lint", file});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "warning schedule_never_due /schedules/vitals/0/phases/0: vitals every 15 min never "
                              "fall due in phase \"preparation\""))
      << r.out;
  EXPECT_TRUE(contains(r.out, "0 errors, 1 warning\n"));
  EXPECT_EQ(run({"lint", file, "--strict"}).status, 1);
}

TEST(KapctlLint, StructuralProblemsAreFindingsToo) {
  const std::string text = R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[
    {"id":"a","kind":"preparation"},{"id":"discharge","kind":"discharge"}],"transitions":[]})";
  auto r = run({"lint", "-"}, text);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "error invalid /phases: no phase of kind \"aborted\"")) << r.out;
}

TEST(KapctlLint, UsageAndUnreadableInput) {
  auto none = run({"lint"});
  EXPECT_EQ(none.status, 2);
  EXPECT_TRUE(contains(none.err, "kapctl lint: give one protocol file or reference name"));
  auto missing = run({"lint", data_dir + "no-such.json"});
  EXPECT_EQ(missing.status, 2);
  // A path that cannot be a reference name is a missing file, whatever its length.
  EXPECT_EQ(missing.err, "kapctl lint: cannot read " + data_dir + "no-such.json: No such file or directory\n");
  // Read, and found not to be JSON: exit 1 (docs/errors.md, "In kapctl").
  auto garbage = run({"lint", "-"}, "{not json");
  EXPECT_EQ(garbage.status, 1);
  EXPECT_TRUE(contains(garbage.err, "kapctl lint: -: ")) << garbage.err;
  EXPECT_EQ(garbage.out, "");
  auto unknown = run({"lint", "im-kap", "--fix"});
  EXPECT_EQ(unknown.status, 2);
}

// --- graph -------------------------------------------------------------------------------------

TEST(KapctlGraph, PrintsDotByDefaultAndMermaidOnRequest) {
  auto dot = run({"graph", "im-kap"});
  EXPECT_EQ(dot.status, 0) << dot.err;
  EXPECT_EQ(dot.out, kap::graph::render(*kap::json::reference_protocol("im-kap")));
  auto m = run({"graph", "im-kap", "--format", "mermaid"});
  EXPECT_EQ(m.status, 0);
  kap::graph::options o;
  o.format = kap::graph::format::mermaid;
  EXPECT_EQ(m.out, kap::graph::render(*kap::json::reference_protocol("im-kap"), o));
  auto bare = run({"graph", "im-kap", "--no-notes"});
  EXPECT_FALSE(contains(bare.out, "note_"));
}

TEST(KapctlGraph, EventsHighlightTheSessionsPhase) {
  const std::string events =
      R"({"id":"e-1","session":"S-1","at":"2026-11-26T09:00:00Z","actor":{"id":"T-1","role":"therapist","licensed":false},"type":"consent","scope":"therapy"})"
      "\n"
      R"({"id":"e-2","session":"S-1","at":"2026-11-26T09:01:00Z","actor":{"id":"T-1","role":"therapist","licensed":false},"type":"phase","to":"psychotherapy"})"
      "\n"
      // Rejected (psychotherapy lasts at least 50 min): changes nothing.
      R"({"id":"e-3","session":"S-1","at":"2026-11-26T09:02:00Z","actor":{"id":"T-1","role":"therapist","licensed":false},"type":"phase","to":"discharge"})"
      "\n";
  auto r = run({"graph", "psychotherapy-50", "--events", "-"}, events);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "  p1 [label=\"psychotherapy\\n50 min to 90 min\\n[current phase]\"")) << r.out;
  EXPECT_EQ(kapctl::test::lines(r.out).size(), kapctl::test::lines(run({"graph", "psychotherapy-50"}).out).size());
}

TEST(KapctlGraph, BadEventsAndUsage) {
  auto two = run({"graph", "psychotherapy-50", "--events", "-"},
                 R"({"id":"e-1","session":"S-1","at":"2026-11-26T09:00:00Z","actor":{"id":"T-1","role":"therapist","licensed":false},"type":"note","text":"x"})"
                 "\n"
                 R"({"id":"e-2","session":"S-2","at":"2026-11-26T09:01:00Z","actor":{"id":"T-1","role":"therapist","licensed":false},"type":"note","text":"y"})"
                 "\n");
  EXPECT_EQ(two.status, 1);
  EXPECT_EQ(two.out, "");
  EXPECT_TRUE(contains(two.err, "kapctl graph: -: line 2: session S-2 after session S-1; give one session's events"))
      << two.err;
  auto bad = run({"graph", "psychotherapy-50", "--events", "-"}, "{\"id\":1}\n");
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(bad.out, "");
  EXPECT_TRUE(contains(bad.err, "kapctl graph: -: line 1: ")) << bad.err;
  auto empty = run({"graph", "psychotherapy-50", "--events", "-"}, "\n");
  EXPECT_EQ(empty.status, 1);
  EXPECT_TRUE(contains(empty.err, "no events"));
  auto fmt = run({"graph", "im-kap", "--format", "svg"});
  EXPECT_EQ(fmt.status, 2);
  EXPECT_TRUE(contains(fmt.err, "--format: unknown graph format \"svg\" (known: dot, mermaid)")) << fmt.err;
  EXPECT_EQ(run({"graph"}).status, 2);
  EXPECT_EQ(run({"graph", session_dir + "/no-such.json"}).status, 2);
}

}  // namespace
