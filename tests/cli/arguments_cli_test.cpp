// Bad arguments are usage errors that name the option and the file (issue 20, items 6, 7 and 15):
// key files that are short, empty, a directory or missing; a malformed --anchor; a protocol name
// that names nothing, answered the same way by every command that takes one.
#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kapctl::test::contains;

class KeyAndAnchorArguments : public ::testing::Test {
 protected:
  void SetUp() override {
    bool built = false;
    for (const auto& c : kapctl::commands()) built = built || c.name == "journal";
    if (!built) GTEST_SKIP() << "kap was built without the journal";
    dir = fs::temp_directory_path() / ("kap-args-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    db = (dir / "j.db").string();
    const auto r = kapctl::test::run({"journal", "append", db, "--protocol", protocol, "--sync", "normal"},
                                     kapctl::test::slurp(events));
    ASSERT_EQ(r.status, 1) << r.err;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string key_file(const std::string& name, const std::string& bytes) {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  fs::path dir;
  std::string db;
  const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
  const std::string events = std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl";
};

// Item 6: an empty key file was an unkeyed journal; a short key is refused the same way.
TEST_F(KeyAndAnchorArguments, AKeyUnderSixteenBytesIsAUsageErrorNamingTheFile) {
  const std::string fresh = (dir / "fresh.db").string();
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{{"empty.key", ""},
                                                                                    {"short.key", "12345"},
                                                                                    {"fifteen.key", std::string(15, 'k')}}) {
    const std::string path = key_file(name, bytes);
    const std::string n = std::to_string(bytes.size());
    for (const std::string& verb : std::vector<std::string>{"append", "verify"}) {
      const std::vector<std::string_view> args =
          verb == "append" ? std::vector<std::string_view>{"journal", "append", fresh, "--protocol", protocol, "--key-file", path}
                           : std::vector<std::string_view>{"journal", "verify", db, "--key-file", path};
      const auto r = kapctl::test::run(args, kapctl::test::slurp(events));
      EXPECT_EQ(r.status, 2) << verb << " " << name << ": " << r.err;
      EXPECT_EQ(r.out, "") << "verify must not answer {\"intact\":false} for a bad argument";
      EXPECT_EQ(r.err, "kapctl journal: " + verb + ": --key-file " + path + ": the key is " + n + " byte" +
                           (bytes.size() == 1 ? "" : "s") + "; a key needs at least 16 bytes\n" +
                           "Run 'kapctl journal --help' for usage.\n");
    }
  }
  EXPECT_FALSE(fs::exists(fresh)) << "a refused key must not create an unkeyed journal";
  // Sixteen bytes are a key.
  const auto ok = kapctl::test::run({"journal", "append", fresh, "--protocol", protocol, "--key-file",
                                     key_file("good.key", std::string(16, 'k'))},
                                    kapctl::test::slurp(events));
  EXPECT_EQ(ok.status, 1) << ok.err;  // the scenario's rejections
}

// Item 7: a key path that is a directory or missing names the path, as a usage error; through
// the real executable, since the old failure was an exception text (basic_filebuf::underflow).
TEST_F(KeyAndAnchorArguments, AKeyPathThatIsADirectoryOrMissingNamesThePath) {
#ifdef KAP_KAPCTL_EXE
  const auto folder = dir.string();
  auto r = kapctl::test::spawn_kapctl({"journal", "verify", db, "--key-file", folder}, "args-keydir");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "kapctl journal: verify: --key-file " + folder + ": is a directory, not a key file\n"
                   "Run 'kapctl journal --help' for usage.\n");
  const auto missing = (dir / "missing.key").string();
  r = kapctl::test::spawn_kapctl({"journal", "append", db, "--protocol", protocol, "--key-file", missing}, "args-keymissing",
                                 events);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "kapctl journal: append: --key-file " + missing + ": cannot read it: No such file or directory\n"
                   "Run 'kapctl journal --help' for usage.\n");
#else
  GTEST_SKIP() << "needs the kapctl executable";
#endif
}

// Item 7: a malformed --anchor is a usage error naming the option, not a broken chain.
TEST_F(KeyAndAnchorArguments, AMalformedAnchorIsAUsageErrorNotABrokenChain) {
  const std::string usage =
      "kapctl journal: verify: --anchor takes SEQ:HASH (a row number from 1 and its hash of 64 hexadecimal digits)\n"
      "Run 'kapctl journal --help' for usage.\n";
  for (const std::string& anchor : std::vector<std::string>{"1:" + std::string(64, 'z'), "1:" + std::string(63, 'a') + "-",
                                   "1:" + std::string(63, 'a'), "0:" + std::string(64, 'a'), "x:" + std::string(64, 'a'),
                                   std::string(64, 'a'), std::string("1:")}) {
    const auto r = kapctl::test::run({"journal", "verify", db, "--anchor", anchor});
    EXPECT_EQ(r.status, 2) << anchor;
    EXPECT_EQ(r.out, "") << anchor;
    EXPECT_EQ(r.err, usage) << anchor;
  }
  // A well-formed anchor of the wrong hash is a broken chain (exit 1), in either case of digits.
  for (const std::string& hash : std::vector<std::string>{std::string(64, 'a'), std::string(64, 'A')}) {
    const auto r = kapctl::test::run({"journal", "verify", db, "--anchor", "1:" + hash});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_TRUE(contains(r.out, "\"intact\":false")) << r.out;
  }
}

}  // namespace
