// One exit rule for every command (docs/errors.md, "In kapctl"; issue 20 items 14 and 15): input
// read and found wrong exits 1, input that could not be read at all exits 2, and every command
// that takes a protocol answers an unknown name the same way. Through the real executable.

#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kapctl::test::contains;
using kapctl::test::spawn_kapctl;

const std::string exit_rule_source = KAP_SOURCE_DIR;

/// A scratch folder for one test, removed at the end.
struct exit_rule_dir {
  fs::path path;
  explicit exit_rule_dir(const std::string& name) : path(fs::temp_directory_path() / ("kap-exit-rule-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~exit_rule_dir() { fs::remove_all(path); }
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

const std::string known_protocols = "esketamine-rems, im-kap, iv-infusion, psychotherapy-50, sublingual-kap";

TEST(ExitRule, EveryCommandAnswersAnUnknownProtocolNameTheSameWay) {
  const exit_rule_dir dir("unknown-name");
  const std::string db = (dir.path / "j.db").string();
  const std::string events = exit_rule_source + "/tests/data/scenarios/iv-infusion/full-session.jsonl";
  struct use {
    std::string command;  // as it names itself in messages
    std::vector<std::string> args;
  };
  const std::vector<use> uses{
      {"validate", {"validate", "im-kapp"}},
      {"lint", {"lint", "im-kapp"}},
      {"graph", {"graph", "im-kapp"}},
      {"run", {"run", "im-kapp", events}},
      {"protocol show", {"protocol", "show", "im-kapp"}},
      {"simulate", {"simulate", "--arm", "im-kapp:2"}},
      {"journal append", {"journal", "append", db, "--protocol", "im-kapp"}},
  };
  for (const auto& u : uses) {
    const auto r = spawn_kapctl(u.args, "unknown-name", events);
    EXPECT_EQ(r.status, 2) << u.command << ": " << r.err;
    EXPECT_EQ(r.err, "kapctl " + u.command + ": im-kapp is not a file, and unknown reference protocol \"im-kapp\" (did "
                                             "you mean im-kap? known: " + known_protocols + ")\n")
        << u.command;
    EXPECT_EQ(r.out, "") << u.command;
  }
  // journal append stopped before it created anything.
  EXPECT_FALSE(fs::exists(db));
}

TEST(ExitRule, TheExampleInErrorsMdIsWhatKapctlPrints) {
  const std::string doc = kapctl::test::slurp(exit_rule_source + "/docs/errors.md");
  const auto at = doc.find("\nkapctl lint: im-kapp ");
  ASSERT_NE(at, std::string::npos) << "docs/errors.md lost its example";
  const std::string line = doc.substr(at + 1, doc.find('\n', at + 1) - at);
  const auto r = spawn_kapctl({"lint", "im-kapp"}, "errors-md-example");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, line);
}

TEST(ExitRule, ReadAndFoundNotJsonIsOneForEveryCommand) {
  const exit_rule_dir dir("not-json");
  const std::string bad = dir.write("bad.json", "{\"format\":");
  const std::string events = exit_rule_source + "/tests/data/scenarios/iv-infusion/full-session.jsonl";
  const std::vector<std::vector<std::string>> uses{
      {"validate", bad},        {"lint", bad},           {"graph", bad},  {"run", bad, events},
      {"protocol", "show", bad}, {"cohort", bad},        {"report", "cohort", bad},
      {"run", "im-kap", bad},  // the events file: one invalid line
  };
  for (const auto& args : uses) {
    const auto r = spawn_kapctl(args, "not-json");
    EXPECT_EQ(r.status, 1) << args[0] << " " << args[1] << ": " << r.err << r.out;
    EXPECT_EQ(r.signal, 0);
  }
  // journal append: a malformed line is one invalid line, exit 1, the others are stored.
  const std::string db = (dir.path / "j.db").string();
  const auto r = spawn_kapctl({"journal", "append", db, "--protocol", "im-kap"}, "not-json-append", bad);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "\"decision\":\"invalid\"")) << r.out;
}

TEST(ExitRule, CouldNotBeReadIsTwoAndNamesThePathAndReason) {
  const exit_rule_dir dir("unreadable");
  const std::string folder = dir.path.string();
  const std::string missing = (dir.path / "missing.json").string();
  const std::string events = exit_rule_source + "/tests/data/scenarios/iv-infusion/full-session.jsonl";
  // A folder opens like a file and reads as nothing; before the fix `kapctl run im-kap DIR` ran no
  // events and exited 0, and `kapctl validate DIR` reported invalid JSON.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"validate", folder}, {"lint", folder}, {"run", "im-kap", folder}, {"cohort", folder}}) {
    const auto r = spawn_kapctl(args, "unreadable");
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "cannot read " + folder + ": Is a directory")) << args[0] << ": " << r.err;
    EXPECT_EQ(r.out, "") << args[0];
  }
  const auto r = spawn_kapctl({"run", "im-kap", missing}, "unreadable-missing");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "kapctl run: cannot read " + missing + ": No such file or directory\n");
}

TEST(ExitRule, ValidatePrintsEveryProblemOnStdoutADecodeErrorIncluded) {
  const exit_rule_dir dir("problems");
  std::string text = kapctl::test::slurp(exit_rule_source + "/protocols/im-kap.json");
  const auto at = text.find("\"phases\"");
  ASSERT_NE(at, std::string::npos);
  const auto brace = text.find('{', at);
  text.insert(brace + 1, "\"colour\":\"x\",");
  const std::string file = dir.write("unknown-field.json", text);
  const auto r = spawn_kapctl({"validate", file}, "problems");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "/phases/0/colour: unknown field\n");
  EXPECT_EQ(r.err, "kapctl validate: " + file + ": 1 problem\n");
  // The other commands are not asked for the problems: they say them on stderr, stdout stays empty.
  const auto g = spawn_kapctl({"graph", file}, "problems-graph");
  EXPECT_EQ(g.status, 1);
  EXPECT_EQ(g.out, "");
  EXPECT_EQ(g.err, "kapctl graph: " + file + ": 1 problem\n/phases/0/colour: unknown field\n");
}

}  // namespace
