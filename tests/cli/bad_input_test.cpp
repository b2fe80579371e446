// The bad-input catalogue (tests/data/bad/catalogue.json, docs/hardening.md): every entry goes
// through the library, which must give the entry's error code and message fragment, and through
// kapctl - in-process and as the real executable - which must exit with the entry's status (1 or
// 2), die of no signal and print no sanitizer report.
#include "cli_helpers.hpp"

#include <kap/json.hpp>
#include <kap/measures/instrument_id.hpp>
#include <kap/measures/score.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/session.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path bad_dir = fs::path(KAP_TEST_DATA_DIR) / "bad";

/// One catalogue entry.
struct entry {
  std::string id;
  std::string kind;  // protocol, events, score
  std::string file;  // relative to tests/data/bad, or empty when generated
  std::string before, fill, after;
  std::size_t count = 0;
  std::string protocol;  // events: the reference protocol they run under
  std::vector<std::string> args;  // score: instrument and answers
  std::string code;
  std::string message;
  int exit = 0;
};

// gtest prints a failing parameter by its id.
[[maybe_unused]] void PrintTo(const entry& e, std::ostream* os) { *os << e.id; }

std::string str(const boost::json::value& v) { return std::string(v.as_string().data(), v.as_string().size()); }

// "hex:ff" in an argument stands for raw bytes (JSON text cannot hold invalid UTF-8).
std::string decode_arg(const std::string& a) {
  if (a.rfind("hex:", 0) != 0) return a;
  std::string out;
  for (std::size_t i = 4; i + 1 < a.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(a.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<entry> load_catalogue() {
  std::vector<entry> out;
  const std::string text = kapctl::test::slurp(bad_dir / "catalogue.json");
  auto v = kap::json::parse(text);
  if (!v) return out;  // the Catalogue.IsWellFormed test reports this
  for (const auto& jv : v->as_object().at("entries").as_array()) {
    const auto& o = jv.as_object();
    entry e;
    e.id = str(o.at("id"));
    e.kind = str(o.at("kind"));
    if (const auto* f = o.if_contains("file")) e.file = str(*f);
    if (const auto* g = o.if_contains("generate")) {
      const auto& go = g->as_object();
      e.before = str(go.at("before"));
      e.fill = str(go.at("fill"));
      e.after = str(go.at("after"));
      e.count = static_cast<std::size_t>(go.at("count").to_number<std::uint64_t>());
    }
    if (const auto* p = o.if_contains("protocol")) e.protocol = str(*p);
    if (const auto* a = o.if_contains("args")) {
      for (const auto& x : a->as_array()) e.args.push_back(decode_arg(str(x)));
    }
    e.code = str(o.at("code"));
    e.message = str(o.at("message"));
    e.exit = static_cast<int>(o.at("exit").to_number<std::int64_t>());
    out.push_back(std::move(e));
  }
  return out;
}

const std::vector<entry>& catalogue() {
  static const std::vector<entry> c = load_catalogue();
  return c;
}

/// The entry's input bytes (read from its file, or generated).
std::string input_of(const entry& e) {
  if (!e.file.empty()) return kapctl::test::slurp(bad_dir / e.file);
  std::string s;
  s.reserve(e.before.size() + e.fill.size() * e.count + e.after.size());
  s += e.before;
  for (std::size_t i = 0; i < e.count; ++i) s += e.fill;
  s += e.after;
  return s;
}

/// A path holding the entry's input, for kapctl.
fs::path input_path(const entry& e, const std::string& text) {
  if (!e.file.empty()) return bad_dir / e.file;
  std::string name = e.id;
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  const fs::path p = fs::path(::testing::TempDir()) / ("kap-bad-" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

/// The first failure the library reports for the entry: a decode error or a rejection.
std::optional<kap::error> library_failure(const entry& e, const std::string& text) {
  if (e.kind == "protocol") {
    auto p = kap::json::read_protocol(text);
    if (!p) return p.error();
    auto v = kap::validate(std::move(*p));
    if (!v) return v.error();
    return std::nullopt;
  }
  if (e.kind == "events") {
    auto def = kap::json::reference_protocol(e.protocol);
    if (!def) return kap::error{kap::errc::unknown_enum, "no reference protocol " + e.protocol};
    auto vp = kap::validate(std::move(*def));
    if (!vp) return vp.error();
    auto shared = std::make_shared<const kap::validated_protocol>(std::move(*vp));
    std::map<std::string, std::unique_ptr<kap::session>> sessions;
    for (auto& l : kap::json::read_events_jsonl(text)) {
      if (!l.event) return l.event.error();
      auto& s = sessions[l.event->session.str()];
      if (!s) s = std::make_unique<kap::session>(shared, l.event->session);
      const std::string before = kap::json::to_string(s->snapshot());
      const auto d = s->apply(*l.event);
      if (d.outcome == kap::outcome::rejected) {
        // A rejection changes nothing (the property tests check this at scale).
        EXPECT_EQ(kap::json::to_string(s->snapshot()), before) << e.id;
        return kap::error{*d.code, d.message};
      }
    }
    return std::nullopt;
  }
  if (e.kind == "score") {
    if (e.args.empty()) return kap::error{kap::errc::missing_field, "no instrument"};
    auto id = kap::measures::parse_instrument_id(e.args[0]);
    if (!id) return id.error();
    std::vector<std::string_view> tokens(e.args.begin() + 1, e.args.end());
    auto r = kap::measures::score_tokens(*id, tokens, {});
    if (!r) return r.error();
    return std::nullopt;
  }
  return kap::error{kap::errc::unknown_enum, "unknown entry kind " + e.kind};
}

std::vector<std::string> kapctl_args(const entry& e, const fs::path& path) {
  if (e.kind == "protocol") return {"validate", path.string()};
  if (e.kind == "events") return {"run", e.protocol, path.string()};
  std::vector<std::string> a{"score"};
  // "--" would be nicer, but kapctl's parser takes a leading "-" digit as an option: the entry's
  // exit status says which answer kapctl gives.
  a.insert(a.end(), e.args.begin(), e.args.end());
  return a;
}

using kapctl::test::spawn_kapctl;

TEST(Catalogue, IsWellFormedAndLargeEnough) {
  const std::string text = kapctl::test::slurp(bad_dir / "catalogue.json");
  auto v = kap::json::parse(text);
  ASSERT_TRUE(v) << v.error().message;
  const auto& c = catalogue();
  EXPECT_GE(c.size(), 60U);
  std::map<std::string, int> kinds;
  std::map<std::string, int> ids;
  for (const auto& e : c) {
    ++kinds[e.kind];
    EXPECT_EQ(++ids[e.id], 1) << "duplicate catalogue id " << e.id;
    EXPECT_FALSE(e.message.empty()) << e.id;
    EXPECT_TRUE(e.exit == 1 || e.exit == 2) << e.id;
    if (!e.file.empty()) {
      EXPECT_TRUE(fs::exists(bad_dir / e.file)) << e.id;
    }
  }
  EXPECT_GE(kinds["protocol"], 20);
  EXPECT_GE(kinds["events"], 20);
  EXPECT_GE(kinds["score"], 10);
  // Every file in the catalogue's directories is an entry (none forgotten).
  for (const char* dir : {"protocol", "events"}) {
    for (const auto& f : fs::directory_iterator(bad_dir / dir)) {
      const std::string rel = std::string(dir) + "/" + f.path().filename().string();
      bool found = false;
      for (const auto& e : c) found = found || e.file == rel;
      EXPECT_TRUE(found) << rel << " is not in catalogue.json";
    }
  }
}

class BadInput : public ::testing::TestWithParam<entry> {};

TEST_P(BadInput, LibraryGivesTheCodeAndMessage) {
  const entry& e = GetParam();
  const std::string text = e.kind == "score" ? std::string() : input_of(e);
  const auto failure = library_failure(e, text);
  ASSERT_TRUE(failure) << e.id << ": the library accepted it";
  EXPECT_EQ(kap::to_string(failure->code), e.code) << e.id << ": " << failure->message;
  EXPECT_NE(failure->message.find(e.message), std::string::npos)
      << e.id << ": message \"" << failure->message << "\" lacks \"" << e.message << "\"";
}

TEST_P(BadInput, KapctlInProcessExitsCleanly) {
  const entry& e = GetParam();
  const std::string text = e.kind == "score" ? std::string() : input_of(e);
  const auto args_s = kapctl_args(e, e.kind == "score" ? fs::path() : input_path(e, text));
  const std::vector<std::string_view> args(args_s.begin(), args_s.end());
  const auto r = kapctl::test::run(args);
  EXPECT_EQ(r.status, e.exit) << e.id << "\nout: " << r.out.substr(0, 400) << "\nerr: " << r.err.substr(0, 400);
  // The code reaches the user: the decision line's "code" for run, the message otherwise.
  if (e.kind == "events" && e.exit == 1) {
    EXPECT_NE(r.out.find("\"code\":\"" + e.code + "\""), std::string::npos) << e.id << ": " << r.out.substr(0, 400);
  } else if (e.kind == "protocol" && e.exit == 1) {
    // Read and found wrong: validate's findings are its output, one "path: message" line each
    // (a decode error is one problem); stderr says how many.
    if (e.code != "invalid_protocol") {
      EXPECT_NE(r.out.find(e.message), std::string::npos) << e.id << ": " << r.out.substr(0, 400);
    }
    EXPECT_NE(r.err.find(" problem"), std::string::npos) << e.id << ": " << r.err.substr(0, 400);
  } else if (e.kind == "protocol") {  // not read at all: why, on stderr
    EXPECT_NE(r.err.find(e.message), std::string::npos) << e.id << ": " << r.err.substr(0, 400);
  }
  // Output is bounded: a 10 MiB input never comes back whole in a message.
  EXPECT_LT(r.out.size() + r.err.size(), std::size_t{64} << 10) << e.id;
}

TEST_P(BadInput, KapctlExecutableExitsWithoutSignalOrSanitizerReport) {
  const entry& e = GetParam();
  const std::string text = e.kind == "score" ? std::string() : input_of(e);
  std::string tag = e.id;
  for (char& c : tag) {
    if (c == '/') c = '_';
  }
  const auto r = spawn_kapctl(kapctl_args(e, e.kind == "score" ? fs::path() : input_path(e, text)), tag);
  EXPECT_EQ(r.signal, 0) << e.id << " died of signal " << r.signal;
  EXPECT_EQ(r.status, e.exit) << e.id << "\nerr: " << r.err.substr(0, 400);
  EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << e.id << ": " << r.err.substr(0, 2000);
  EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << e.id << ": " << r.err.substr(0, 2000);
}

std::string test_name(const ::testing::TestParamInfo<entry>& info) {
  std::string n;
  for (const char c : info.param.id) n.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(catalogue()), test_name);

}  // namespace

namespace {

TEST(KapctlLimits, OversizedFilesAndStreamsAreRefusedBeforeReading) {
  // A protocol file over 1 MiB: refused from its size, exit 2.
  const fs::path big = fs::path(::testing::TempDir()) / "kap-bad-big-protocol.json";
  std::ofstream(big, std::ios::binary) << std::string((std::size_t{1} << 20) + 1, ' ');
  auto r = kapctl::test::run({"validate", big.string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("input of 1048577 bytes is over the limit of 1048576 bytes"), std::string::npos) << r.err;
  // The same on standard input, which has no size to look at: refused while reading.
  r = kapctl::test::run({"validate", "-"}, std::string((std::size_t{1} << 20) + 1, ' '));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("kapctl validate: -: input is over the limit of 1048576 bytes"), std::string::npos) << r.err;
  // Exactly at the limit it is read, and then found to be no JSON: read and found wrong, exit 1.
  r = kapctl::test::run({"validate", "-"}, std::string(std::size_t{1} << 20, ' '));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("invalid JSON"), std::string::npos) << r.out;
}

}  // namespace
