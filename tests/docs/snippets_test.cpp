// The C++ snippets of docs/*.md that are not whole programs, compiled and run here. Each doc
// snippet is the region between `// [snippet:NAME]` and `// [/snippet:NAME]` below, line for line
// (scripts/doc_snippets.py, ctest docs.snippets, checks that the page shows exactly this code).
// The tests around each region check that the snippet does what its page says.

#include <kap/course/simulate.hpp>
#include <kap/fhir/fhir.hpp>
#include <kap/reports/report.hpp>
#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/json/reference.hpp>
#include <kap/session.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// What the snippets call when something fails: the test fails with the error's message.
void fail(const kap::error& e) { ADD_FAILURE() << kap::to_string(e.code) << ": " << e.message; }

std::shared_ptr<const kap::validated_protocol> im_kap() {
  return std::make_shared<const kap::validated_protocol>(
      kap::validate(kap::json::reference_protocol("im-kap").value()).value());
}

const char* const consent_line =
    R"({"id":"e-1","session":"S-1","at":"2026-11-26T09:30:00Z","actor":{"id":"P-7","role":"prescriber","licensed":true},"type":"consent","scope":"kap-session"})";
const char* const vitals_line =
    R"({"id":"e-v","session":"S-1","at":"2026-11-26T09:30:30Z","actor":{"id":"N-7","role":"nurse","licensed":true},"type":"vitals","systolic":128,"diastolic":82,"heart_rate":74,"spo2":98})";
const char* const refused_line =
    R"({"id":"e-2","session":"S-1","at":"2026-11-26T09:31:00Z","actor":{"id":"P-7","role":"prescriber","licensed":true},"type":"phase","to":"preparation"})";

fs::path fresh_path(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / ("kap-snippet-" + name);
  fs::remove(p);
  fs::remove(p.string() + "-wal");
  fs::remove(p.string() + "-shm");
  return p;
}

// What a snippet prints to a standard stream, captured while this lives.
class captured {
 public:
  explicit captured(std::ostream& stream) : stream_(stream), was_(stream.rdbuf(text_.rdbuf())) {}
  captured(const captured&) = delete;
  captured& operator=(const captured&) = delete;
  ~captured() { stream_.rdbuf(was_); }
  [[nodiscard]] std::string str() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::ostream& stream_;
  std::streambuf* was_;
};

// docs/errors.md: a result is tested, then its value used; the error names the field.
void errors_snippet(const std::string& line, std::vector<kap::event>& used) {
  auto use = [&](const kap::event& e) { used.push_back(e); };
  // [snippet:errors-result]
  auto e = kap::json::read_event(line);
  if (!e) {
    std::cerr << kap::to_string(e.error().code) << ": " << e.error().message << "\n";
    // e.g. unknown_field: /colour: unknown field for a consent event
    return;
  }
  use(*e);            // or e.value(), which throws kap::bad_result_access on an error
  // [/snippet:errors-result]
}

TEST(DocSnippets, ErrorsPageReadsAnEventOrPrintsTheCodeAndPath) {
  std::vector<kap::event> used;
  std::string with_colour(consent_line);
  with_colour.insert(with_colour.size() - 1, R"(,"colour":"red")");
  {
    const captured err(std::cerr);
    errors_snippet(with_colour, used);
    EXPECT_EQ(err.str(), "unknown_field: /colour: unknown field for a consent event\n");
  }
  EXPECT_TRUE(used.empty());
  errors_snippet(consent_line, used);
  ASSERT_EQ(used.size(), 1U);
  EXPECT_EQ(used[0].id.str(), "e-1");
}

TEST(DocSnippets, JournalPageAppendsReadsReplaysAndVerifies) {
  const auto protocol = im_kap();
  const auto event = kap::json::read_event(consent_line).value();
  const std::string journal_path = fresh_path("journal.db").string();
  std::uint64_t row = 0;
  kap::decision decision;
  bool verified = false;
  [&] {
    // [snippet:journal-open-append]
    kap::journal_options opt;
    opt.protocol = protocol;                        // std::shared_ptr<const kap::validated_protocol>
    auto j = kap::sqlite_journal::open(journal_path, opt);
    if (!j) return fail(j.error());                 // names the file and what failed

    auto ack = j->append(event);                    // returns once the row is on disk
    if (!ack) return fail(ack.error());             // io_error, protocol_mismatch, too_large, ...
    row = ack->seq;                                 // the row
    decision = ack->decision;                       // accepted, or rejected with a code and reasons

    auto rows = j->read(kap::session_id{"S-1"});    // every attempt, in order, with its decision
    auto rep  = j->replay(kap::session_id{"S-1"});  // a fresh kap::session + decisions that differ
    auto ok   = j->verify({});                      // recomputes the hash chain
    // [/snippet:journal-open-append]
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->size(), 1U);
    ASSERT_TRUE(rep);
    EXPECT_TRUE(rep->consistent());
    ASSERT_TRUE(ok);
    verified = ok->intact;
  }();
  EXPECT_EQ(row, 1U);
  EXPECT_TRUE(decision.accepted());
  EXPECT_TRUE(verified);
}

TEST(DocSnippets, ProtocolsPageLoadsReferenceProtocolsByName) {
  const captured std_cerr(std::cerr);
  // [snippet:reference-protocols]
  auto names = kap::json::reference_protocol_names();        // {"esketamine-rems", "im-kap", ...}
  auto p = kap::json::reference_protocol("iv-infusion");      // kap::result<kap::protocol>
  if (!p) std::cerr << p.error().message;  // unknown reference protocol "x" (did you mean ...? known: ...)
  auto v = kap::validate(std::move(*p));                      // every reference protocol validates
  auto text = kap::json::reference_protocol_text("im-kap");   // the file's exact text
  // [/snippet:reference-protocols]
  EXPECT_EQ(names.front(), "esketamine-rems");
  EXPECT_TRUE(v);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\"id\": \"im-kap\""), std::string_view::npos);
  EXPECT_TRUE(std_cerr.str().empty());
}

// A short session's events and decisions, as a journal would hold them.
struct recorded {
  kap::protocol protocol;
  std::vector<kap::event> events;
  std::vector<kap::decision> decisions;
};

recorded record_session() {
  recorded r{kap::json::reference_protocol("im-kap").value(), {}, {}};
  kap::session s(im_kap(), kap::session_id{"S-1"});
  for (const char* line : {consent_line, refused_line}) {
    r.events.push_back(kap::json::read_event(line).value());
    r.decisions.push_back(s.apply(r.events.back()));
  }
  return r;
}

TEST(DocSnippets, ReportsPageRendersASession) {
  const recorded rec = record_session();
  const auto& protocol = rec.protocol;
  const auto& events = rec.events;
  const auto& decisions = rec.decisions;
  const fs::path dir = fs::path(::testing::TempDir()) / "kap-snippet-reports";
  fs::create_directories(dir);
  const fs::path html_path = dir / "session.html";
  std::string printed;
  {
    struct in_dir {
      fs::path was = fs::current_path();
      explicit in_dir(const fs::path& d) { fs::current_path(d); }
      ~in_dir() { fs::current_path(was); }
    } here(dir);
    const captured std_cout(std::cout);
    // [snippet:session-report]
    kap::reports::session_report_input in;
    in.session = "S-IM-4";
    in.protocol = kap::reports::summarize_protocol(protocol);  // id, title, phases, vitals thresholds
    in.events = events;        // every event recorded, accepted or not, in order
    in.decisions = decisions;  // the decision on each (from a journal, or session::apply)
    std::ofstream("session.html") << kap::reports::render_session_html(in);
    std::cout << kap::reports::render_session_text(in);
    // [/snippet:session-report]
    printed = std_cout.str();
  }
  std::ifstream html(html_path);
  std::stringstream page;
  page << html.rdbuf();
  EXPECT_EQ(page.str().rfind("<!DOCTYPE html>", 0), 0U) << page.str().substr(0, 80);
  EXPECT_NE(printed.find("S-IM-4"), std::string::npos) << printed;
}

TEST(DocSnippets, ReportsPageBuildsCourseReportsFromSimulatedRecords) {
  auto arm = kap::course::default_arm("im-kap", im_kap(), 3);
  const auto records = kap::course::simulate(kap::course::simulation_params{}, {arm});
  ASSERT_EQ(records.size(), 3U);
  const kap::timestamp intake = kap::parse_rfc3339("2026-01-05T09:00:00Z").value();
  std::vector<kap::reports::course_report_input> pages;
  // [snippet:course-reports]
  for (const auto& rec : records) {  // from kap::course::simulate or a kap.courses/1 file
    kap::reports::course_report_input in{rec.subject, intake, {}, /*synthetic=*/true};
    in.instruments.push_back(
        kap::reports::course_from_catalog("phq9", rec.observations, rec.session_of_observation).value());
    pages.push_back(std::move(in));  // kap::reports::render_course_html(pages.back()) draws one
  }
  // [/snippet:course-reports]
  ASSERT_EQ(pages.size(), 3U);
  EXPECT_EQ(pages[0].instruments.at(0).instrument, "phq9");
  EXPECT_NE(kap::reports::render_course_html(pages[0]).find("synthetic"), std::string::npos);
}

TEST(DocSnippets, FhirPageExportsASessionReadFromTheJournal) {
  const std::string journal_path = fresh_path("fhir.db").string();
  {
    kap::journal_options opt;
    opt.protocol = im_kap();
    auto j = kap::sqlite_journal::open(journal_path, opt).value();
    // A reading earlier than the last event is refused (out_of_order) and stored as refused.
    std::string late(vitals_line);
    late.replace(late.find("e-v"), 3, "e-late");
    late.replace(late.find("09:30:30"), 8, "09:29:00");
    for (const std::string& line : {std::string(consent_line), std::string(vitals_line), late}) {
      auto ack = j.append(kap::json::read_event(line).value());
      ASSERT_TRUE(ack);
      EXPECT_EQ(ack->decision.accepted(), line != late);
    }
  }
  std::string written;
  auto write = [&](const std::string& text) { written = text; };
  [&] {
    // [snippet:fhir-session]
    auto j = kap::sqlite_journal::open(journal_path, {});   // reading needs no protocol
    if (!j) return fail(j.error());
    auto rows = j->read(kap::session_id{"S-1"});            // every attempt, with its decision
    if (!rows) return fail(rows.error());
    const kap::protocol protocol = kap::json::reference_protocol("im-kap").value();

    kap::fhir::session_input in;
    in.session = kap::session_id{"S-1"};
    in.protocol = kap::reports::summarize_protocol(protocol);   // id and the kind of each phase
    in.protocol_version = protocol.version;
    for (const kap::journal_entry& row : *rows) {
      in.events.push_back(row.event);        // every event recorded, in order
      in.decisions.push_back(row.decision);  // the decision on each: only accepted ones export
    }

    kap::fhir::export_options opt;          // collection by default
    opt.subject_system = "https://clinic.example/pseudonyms";   // the pseudonym's identifier system
    auto bundle = kap::fhir::session_bundle(kap::subject_id{"SUBJ-1"}, in, opt);
    if (!bundle) return fail(bundle.error());   // code + message naming the session and event index
    write(*bundle);                          // one line of JSON, ending in a newline
    // [/snippet:fhir-session]
  }();
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(written.back(), '\n');
  auto v = kap::json::parse(written);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->as_object().at("resourceType").as_string(), "Bundle");
  // The accepted reading is exported, the refused one is not: the decisions came along.
  EXPECT_NE(written.find(R"("value":"S-1|e-v|bp")"), std::string::npos);
  EXPECT_EQ(written.find("e-late"), std::string::npos);
}

}  // namespace
