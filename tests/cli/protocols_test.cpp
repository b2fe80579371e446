// kapctl protocols / kapctl protocol show, and reference protocol names where a protocol file goes.
#include "command.hpp"

#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kapctl::test::lines;
using kapctl::test::outcome;
using kapctl::test::run;
using kapctl::test::slurp;




const std::string source_dir = KAP_SOURCE_DIR;

TEST(KapctlProtocols, ListsNameAndTitleOnePerLine) {
  auto r = run({"protocols"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "esketamine-rems   Intranasal esketamine (Spravato) treatment session under the REMS\n"
      "im-kap            Intramuscular ketamine-assisted psychotherapy session\n"
      "iv-infusion       Intravenous racemic ketamine infusion, 0.5 mg/kg over 40 min\n"
      "psychotherapy-50  Traditional 50-minute psychotherapy session (comparison protocol, no dosing)\n"
      "sublingual-kap    Sublingual ketamine (lozenge or rapid-dissolving tablet) assisted psychotherapy session\n");
  EXPECT_EQ(run({"protocols", "extra"}).status, 2);
}

TEST(KapctlProtocols, ShowPrintsTheReferenceJson) {
  auto r = run({"protocol", "show", "esketamine-rems"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, slurp(source_dir + "/protocols/esketamine-rems.json"));
}

TEST(KapctlProtocols, ShowAcceptsAFilePath) {
  const std::string path = source_dir + "/tests/data/protocols/test-im.json";
  auto r = run({"protocol", "show", path});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, slurp(path));
  const std::string bad = source_dir + "/tests/data/bad-protocols/missing-initial.json";
  auto b = run({"protocol", "show", bad});
  EXPECT_EQ(b.status, 1);  // read, and found invalid: nothing printed on stdout
  EXPECT_EQ(b.out, "");
  EXPECT_NE(b.err.find("/initial: missing required field"), std::string::npos) << b.err;
}

TEST(KapctlProtocols, ShowRefusesUnknownNamesAndBadUsage) {
  auto r = run({"protocol", "show", "ketamine"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "kapctl protocol show: ketamine is not a file, and unknown reference protocol \"ketamine\" (known: "
            "esketamine-rems, im-kap, iv-infusion, psychotherapy-50, sublingual-kap)\n");
  EXPECT_EQ(run({"protocol"}).status, 2);
  EXPECT_EQ(run({"protocol", "list"}).status, 2);
  EXPECT_EQ(run({"protocol", "show"}).status, 2);
  EXPECT_EQ(run({"protocol", "show", "im-kap", "iv-infusion"}).status, 2);
}

TEST(KapctlProtocols, ValidateAndRunTakeAReferenceName) {
  for (std::string_view name : {"esketamine-rems", "im-kap", "iv-infusion", "psychotherapy-50", "sublingual-kap"}) {
    auto v = run({"validate", name});
    EXPECT_EQ(v.status, 0) << name << ": " << v.err;
    EXPECT_EQ(v.out.rfind("protocol " + std::string(name) + " version 1 is valid", 0), 0U) << v.out;
  }
  // The same events give the same decisions whether the protocol comes by name or by file.
  const std::string events = source_dir + "/tests/data/scenarios/iv-infusion/full-session.jsonl";
  const std::string file = source_dir + "/protocols/iv-infusion.json";
  auto by_name = run({"run", "iv-infusion", events});
  auto by_file = run({"run", file, events});
  EXPECT_EQ(by_name.status, 1);
  EXPECT_EQ(by_name.out, by_file.out);
  EXPECT_FALSE(by_name.out.empty());
  auto missing = run({"validate", "no-such-protocol"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err,
            "kapctl validate: no-such-protocol is not a file, and unknown reference protocol \"no-such-protocol\" (known: "
            "esketamine-rems, im-kap, iv-infusion, psychotherapy-50, sublingual-kap)\n");
}

}  // namespace
