// kap::graph: structure, labels, highlighting and escaping of dot and Mermaid diagrams.
#include <kap/graph/graph.hpp>
#include <kap/json.hpp>
#include <kap/json/reference.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/session/session.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>

namespace {

using kap::minutes;
using kap::phase_kind;
using namespace kap::requirements;

kap::protocol reference(std::string_view name) {
  auto p = kap::json::reference_protocol(name);
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(*p);
}

std::size_t count(const std::string& s, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(s.begin(), s.end(), re), std::sregex_iterator()));
}

// The line of a node or edge, starting with "  <head>".
std::string line_of(const std::string& s, const std::string& head) {
  const auto at = s.find("\n  " + head);
  if (at == std::string::npos) return {};
  const auto end = s.find('\n', at + 1);
  return s.substr(at + 1, end - at - 1);
}

TEST(Graph, DescribeSaysEachRequirementInAFewWords) {
  EXPECT_EQ(kap::graph::describe(consent_signed{}), "consent signed");
  EXPECT_EQ(kap::graph::describe(screening_passed{}), "screening passed");
  EXPECT_EQ(kap::graph::describe(checklist_done{"driver_arranged"}), "checklist: driver_arranged");
  EXPECT_EQ(kap::graph::describe(vitals_within{std::nullopt, minutes{15}}), "vitals within hold limits, <= 15 min old");
  kap::vitals_limits l;
  l.systolic_max = kap::mmhg{150};
  l.diastolic_max = kap::mmhg{95};
  l.spo2_min = kap::spo2_percent{90};
  EXPECT_EQ(kap::graph::describe(vitals_within{l, minutes{10}}), "vitals within BP <= 150/95, SpO2 >= 90, <= 10 min old");
  EXPECT_EQ(kap::graph::describe(min_time_in_phase{minutes{30}}), ">= 30 min in phase");
  EXPECT_EQ(kap::graph::describe(min_time_since_dose{minutes{45}}), ">= 45 min since dose");
  EXPECT_EQ(kap::graph::describe(measure_recorded{"phq9"}), "phq9 recorded");
  EXPECT_EQ(kap::graph::describe(measure_at_most{"gad7", 9}), "gad7 <= 9");
  EXPECT_EQ(kap::graph::describe(signed_off{kap::role::prescriber, "discharge"}), "sign-off discharge by prescriber");
  EXPECT_EQ(kap::graph::describe(no_open_alerts{kap::alert_severity::critical}), "no open critical alert");
  EXPECT_EQ(kap::graph::describe(no_open_alerts{kap::alert_severity::warning}), "no open alert");
  EXPECT_EQ(kap::graph::describe(dose_given{}), "dose given");
  EXPECT_EQ(kap::graph::describe(kap::protocol_builder::predicate("weight_known", [](const kap::session&, kap::timestamp) {
              return std::optional<std::string>{};
            })),
            "check: weight_known");
}

TEST(Graph, ParseFormat) {
  EXPECT_EQ(kap::graph::parse_format("dot").value(), kap::graph::format::dot);
  EXPECT_EQ(kap::graph::parse_format("mermaid").value(), kap::graph::format::mermaid);
  auto bad = kap::graph::parse_format("svg");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kap::errc::unknown_enum);
  EXPECT_EQ(bad.error().message, "unknown graph format \"svg\" (known: dot, mermaid)");
}

TEST(Graph, DotOfImKapHasEveryPhaseTransitionAndNote) {
  const auto p = reference("im-kap");
  const std::string dot = kap::graph::render(p);
  EXPECT_EQ(dot.rfind("digraph \"im-kap\" {\n", 0), 0U);
  EXPECT_EQ(dot.back(), '\n');
  EXPECT_EQ(count(dot, R"(\n  p\d+ \[label=)"), p.phases.size());
  EXPECT_EQ(count(dot, R"(\n  p\d+ -> p\d+)"), p.transitions.size());
  EXPECT_EQ(count(dot, R"(\n  note_dose -> p\d+ \[style=dotted, arrowhead=none\];)"), 1U);  // one dosing phase
  EXPECT_EQ(count(dot, R"(\n  note_schedules \[label=)"), 1U);
  EXPECT_EQ(line_of(dot, "start -> "), "  start -> p0;");
  EXPECT_EQ(line_of(dot, "any -> "), "  any -> p7 [label=\"abort\", style=dashed];");
  EXPECT_EQ(line_of(dot, "p1 -> "),
            "  p1 -> p2 [label=\"checklist: intention_set\\nchecklist: fasting_confirmed\\nchecklist: "
            "driver_arranged\\nchecklist: set_and_setting_ready\"];");
  EXPECT_EQ(line_of(dot, "p3 -> "), "  p3 -> p4 [label=\">= 45 min since dose\"];");
  EXPECT_EQ(line_of(dot, "p4 -> p6"), "  p4 -> p6;");  // no requirement, no label
  EXPECT_EQ(line_of(dot, "p2 ["),
            "  p2 [label=\"dosing\", shape=hexagon, fillcolor=\"#ffe0b2\"];");
  EXPECT_EQ(line_of(dot, "p4 ["),
            "  p4 [label=\"monitoring\\nat least 30 min\", shape=box, fillcolor=\"#fff9c4\"];");
  EXPECT_EQ(line_of(dot, "p6 ["),
            "  p6 [label=\"discharge\\nto enter:\\n>= 75 min since dose\\nsign-off discharge by prescriber\\nvitals "
            "within hold limits, <= 15 min old\\nno open critical alert\", shape=box, "
            "fillcolor=\"#c8e6c9\", peripheries=2, style=\"filled,rounded\"];");
  const auto note = line_of(dot, "note_dose [");
  EXPECT_NE(note.find("every dose needs:\\l- consent signed\\l"), std::string::npos) << note;
  EXPECT_NE(note.find("- im ketamine: <= 2 mg/kg, 1 dose\\l"), std::string::npos) << note;
  EXPECT_NE(note.find("dosing waits unless: BP <= 140/90, SpO2 >= 92\\l"), std::string::npos) << note;
  EXPECT_NE(note.find("critical alert unless: BP <= 180/110\\l"), std::string::npos) << note;
  const auto sched = line_of(dot, "note_schedules [");
  EXPECT_NE(sched.find("- vitals every 15 min in dosing, guided_meditation, monitoring, integration\\l"),
            std::string::npos)
      << sched;
  EXPECT_EQ(count(dot, "penwidth"), 0U);  // nothing highlighted
}

TEST(Graph, TheDoseNoteListsHoldLimitsByAge) {
  // The note gives the limits that apply from the band's age: the band's, over the others.
  auto p = reference("esketamine-rems");
  const std::string plain = kap::graph::render(p);
  kap::vitals_limits band;
  band.systolic_max = kap::mmhg{150};
  p.vitals.hold_by_age.push_back({65, band});
  const std::string dot = kap::graph::render(p);
  EXPECT_NE(dot.find("dosing waits unless: BP <= 140/90"), std::string::npos) << dot;
  EXPECT_NE(dot.find("from age 65, unless: BP <= 150/90"), std::string::npos) << dot;
  EXPECT_EQ(plain.find("from age"), std::string::npos);
}

TEST(Graph, NotesCanBeLeftOut) {
  kap::graph::options o;
  o.notes = false;
  const std::string dot = kap::graph::render(reference("esketamine-rems"), o);
  EXPECT_EQ(count(dot, "note_"), 0U);
  const std::string with = kap::graph::render(reference("esketamine-rems"));
  EXPECT_NE(with.find("- bp_40min: vitals 40 min after each dose (+/- 5 min)"), std::string::npos);
  EXPECT_NE(with.find("- intranasal esketamine: <= 84 mg, <= 84 mg in all, steps of 28 mg, 3 doses >= 5 min apart"),
            std::string::npos);
}

TEST(Graph, ProtocolWithoutDosingHasNoDoseNote) {
  const auto p = reference("psychotherapy-50");
  const std::string dot = kap::graph::render(p);
  EXPECT_EQ(count(dot, "note_dose"), 0U);
  EXPECT_NE(dot.find("- phq9 on entering preparation\\l"), std::string::npos);
  EXPECT_NE(dot.find("psychotherapy\\n50 min to 90 min"), std::string::npos);
}

TEST(Graph, MermaidOfIvInfusionHasEveryPhaseAndTransition) {
  const auto p = reference("iv-infusion");
  kap::graph::options o;
  o.format = kap::graph::format::mermaid;
  const std::string m = kap::graph::render(p, o);
  EXPECT_EQ(m.rfind("%% protocol iv-infusion version 1\nflowchart TD\n", 0), 0U);
  EXPECT_EQ(count(m, R"re(\n  p\d+(\[|\{\{|\(\[|\[\[)")re"), p.phases.size());
  EXPECT_EQ(count(m, R"(\n  p\d+ -->)"), p.transitions.size());
  EXPECT_EQ(line_of(m, "p2 -->"), "  p2 -->|\"dose given<br/>#gt;= 40 min since dose\"| p3");
  EXPECT_EQ(line_of(m, "p2{{"), "  p2{{\"dosing\"}}");
  EXPECT_EQ(line_of(m, "any -.->"), "  any -.->|\"abort\"| p5");
  EXPECT_EQ(line_of(m, "note_dose -.- "), "  note_dose -.- p2");
  EXPECT_EQ(line_of(m, "init"), "  init((\" \")) --> p0");
  EXPECT_EQ(line_of(m, "style p2 "), "  style p2 fill:#ffe0b2");
  EXPECT_EQ(count(m, "stroke-width"), 0U);
}

TEST(Graph, CurrentPhaseIsHighlightedInBothFormats) {
  const auto p = reference("im-kap");
  kap::graph::options o;
  o.current = "monitoring";
  const std::string dot = kap::graph::render(p, o);
  EXPECT_EQ(count(dot, "penwidth=3"), 1U);
  EXPECT_EQ(line_of(dot, "p4 ["),
            "  p4 [label=\"monitoring\\nat least 30 min\\n[current phase]\", shape=box, fillcolor=\"#fff9c4\", "
            "color=\"#c62828\", penwidth=3];");
  o.format = kap::graph::format::mermaid;
  const std::string m = kap::graph::render(p, o);
  EXPECT_EQ(count(m, "stroke-width:4px"), 1U);
  EXPECT_EQ(line_of(m, "style p4 "), "  style p4 fill:#fff9c4,stroke:#c62828,stroke-width:4px");
  o.current = "nowhere";
  EXPECT_EQ(count(kap::graph::render(p, o), "stroke-width"), 0U);
}

TEST(Graph, SessionOverloadHighlightsTheSessionsPhase) {
  auto v = kap::validate(reference("psychotherapy-50"));
  ASSERT_TRUE(v);
  const auto vp = std::make_shared<const kap::validated_protocol>(std::move(*v));
  kap::session s(vp, kap::session_id{"S-1"});
  EXPECT_NE(line_of(kap::graph::render(s), "p0 [").find("[current phase]"), std::string::npos);
  const std::string head = R"({"session":"S-1","actor":{"id":"P-1","role":"prescriber","licensed":true},)";
  for (const std::string body : {R"("id":"e-1","at":"2026-11-26T09:00:00Z","type":"consent","scope":"kap"})",
                                 R"("id":"e-2","at":"2026-11-26T09:02:00Z","type":"phase","to":"psychotherapy"})"}) {
    auto e = kap::json::read_event(head + body);
    ASSERT_TRUE(e) << e.error().message;
    const auto d = s.apply(*e);
    ASSERT_TRUE(d.accepted()) << d.message;
  }
  ASSERT_EQ(s.phase(), "psychotherapy");
  const std::string dot = kap::graph::render(s);
  EXPECT_EQ(count(dot, "penwidth=3"), 1U);
  EXPECT_NE(line_of(dot, "p1 [").find("penwidth=3"), std::string::npos);
}

// A protocol whose every string tries to break out of its quotes.
kap::protocol hostile_protocol() {
  return kap::protocol_builder("q\"uote\\d")
      .title("Title with \"quotes\"\nand a newline")
      .phase("say \"hi\"\\", phase_kind::preparation)
      .phase("a<b>&#c|d`e", phase_kind::psychotherapy, {checklist_done{"item \"x\" \\l [y]"}})
      .phase("discharge", phase_kind::discharge)
      .phase("aborted", phase_kind::aborted)
      .transition("say \"hi\"\\", "a<b>&#c|d`e", {signed_off{kap::role::therapist, "go\"\n}"}})
      .transition("a<b>&#c|d`e", "discharge")
      .definition();
}

TEST(Graph, DotEscapesQuotesBackslashesAndNewlines) {
  const std::string dot = kap::graph::render(hostile_protocol());
  EXPECT_EQ(dot.rfind("digraph \"q\\\"uote\\\\d\" {\n", 0), 0U) << dot;
  EXPECT_EQ(line_of(dot, "p0 ["), "  p0 [label=\"say \\\"hi\\\"\\\\\\n(preparation)\", shape=box, fillcolor=\"#e3f2fd\"];");
  // A backslash from the protocol stays a backslash: "\l" cannot become a dot line break.
  EXPECT_NE(line_of(dot, "p1 [").find("checklist: item \\\"x\\\" \\\\l [y]"), std::string::npos) << dot;
  EXPECT_EQ(line_of(dot, "p0 -> "), "  p0 -> p1 [label=\"sign-off go\\\" } by therapist\"];");
  EXPECT_NE(dot.find("label=\"Title with \\\"quotes\\\" and a newline\\nq\\\"uote\\\\d version 1\""), std::string::npos)
      << dot;
  // Every line is one statement: no raw newline leaked into a string.
  EXPECT_EQ(count(dot, "\n"), count(dot, R"((;|\{|\})\n)"));
}

TEST(Graph, MermaidEscapesEverythingItWouldReadAsSyntax) {
  kap::graph::options o;
  o.format = kap::graph::format::mermaid;
  const std::string m = kap::graph::render(hostile_protocol(), o);
  EXPECT_EQ(m.rfind("%% protocol q\"uote\\d version 1\nflowchart TD\n", 0), 0U) << m;
  EXPECT_EQ(line_of(m, "p0["), "  p0[\"say #quot;hi#quot;\\<br/>(preparation)\"]");
  EXPECT_EQ(line_of(m, "p1["),
            "  p1[\"a#lt;b#gt;#amp;#35;c#124;d#96;e<br/>(psychotherapy)<br/>to enter:<br/>checklist: item #quot;x#quot; "
            "\\l [y]\"]");
  EXPECT_EQ(line_of(m, "p0 -->"), "  p0 -->|\"sign-off go#quot; } by therapist\"| p1");
  // Every quoted label closes on its own line.
  for (std::size_t at = m.find('\n') + 1, end = 0; (end = m.find('\n', at)) != std::string::npos; at = end + 1) {
    EXPECT_EQ(count(m.substr(at, end - at), "\"") % 2, 0U) << m.substr(at, end - at);
  }
}

}  // namespace
