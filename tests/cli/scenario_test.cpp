// End-to-end scenarios: every tests/data/scenarios/<protocol>/*.jsonl runs through `kapctl run`
// under tests/data/protocols/<protocol>.json (or protocols/<protocol>.json for the reference
// protocols) and must print exactly the reviewed <name>.expected, decision by decision.
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

namespace fs = std::filesystem;



TEST(Scenarios, EveryScenarioMatchesItsReviewedDecisions) {
  const fs::path root = fs::path(KAP_TEST_DATA_DIR) / "scenarios";
  int count = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    const std::string protocol_name = dir.path().filename().string();
    fs::path protocol = fs::path(KAP_TEST_DATA_DIR) / "protocols" / (protocol_name + ".json");
    if (!fs::exists(protocol)) protocol = fs::path(KAP_SOURCE_DIR) / "protocols" / (protocol_name + ".json");
    ASSERT_TRUE(fs::exists(protocol)) << protocol;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().extension() != ".jsonl") continue;
      ++count;
      const std::string p = protocol.string();
      const std::string e = f.path().string();
      std::vector<std::string_view> args{"run", p, e};
      std::istringstream in;
      std::ostringstream out;
      std::ostringstream err;
      kapctl::io io{in, out, err};
      const int status = kapctl::run(args, io);
      const std::string expected = slurp(fs::path(f.path()).replace_extension(".expected"));
      const auto got = lines(out.str());
      const auto want = lines(expected);
      ASSERT_EQ(got.size(), want.size()) << e;
      for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << e << " line " << i + 1;
      const bool any_rejected = expected.find("\"decision\":\"rejected\"") != std::string::npos ||
                                expected.find("\"decision\":\"invalid\"") != std::string::npos;
      EXPECT_EQ(status, any_rejected ? 1 : 0) << e << ": " << err.str();
    }
  }
  EXPECT_GE(count, 2);
}

}  // namespace
