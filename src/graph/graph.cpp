#include <kap/core/enum_name.hpp>
#include <kap/graph/graph.hpp>
#include <kap/session/session.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace kap::graph {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string mins(minutes m) { return std::to_string(m.count()) + " min"; }

std::string limits_text(const vitals_limits& l) {
  std::vector<std::string> parts;
  if (l.systolic_max || l.diastolic_max) {
    parts.push_back("BP <= " + (l.systolic_max ? num(l.systolic_max->count()) : std::string("-")) + "/" +
                    (l.diastolic_max ? num(l.diastolic_max->count()) : std::string("-")));
  }
  if (l.systolic_min) parts.push_back("SBP >= " + num(l.systolic_min->count()));
  if (l.heart_rate_min) parts.push_back("HR >= " + num(l.heart_rate_min->count()));
  if (l.heart_rate_max) parts.push_back("HR <= " + num(l.heart_rate_max->count()));
  if (l.spo2_min) parts.push_back("SpO2 >= " + num(l.spo2_min->count()));
  if (l.respiratory_rate_min) parts.push_back("RR >= " + num(l.respiratory_rate_min->count()));
  if (l.respiratory_rate_max) parts.push_back("RR <= " + num(l.respiratory_rate_max->count()));
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

std::string limit_text(const dose_limit& l) {
  std::string s = std::string(enum_name(l.route)) + " " + std::string(enum_name(l.drug)) + ":";
  if (l.max_mg_per_kg) s += " <= " + num(l.max_mg_per_kg->count()) + " mg/kg,";
  if (l.max_mg) s += " <= " + num(l.max_mg->count()) + " mg,";
  if (l.min_mg) s += " >= " + num(l.min_mg->count()) + " mg,";
  if (l.max_cumulative_mg) s += " <= " + num(l.max_cumulative_mg->count()) + " mg in all,";
  if (l.step_mg) s += " steps of " + num(l.step_mg->count()) + " mg,";
  s += " " + std::to_string(l.max_doses) + (l.max_doses == 1 ? " dose" : " doses");
  if (l.min_interval.count() > 0) s += " >= " + mins(l.min_interval) + " apart";
  return s;
}

// One diagram element's text, line by line, unescaped.
using lines = std::vector<std::string>;

struct node {
  std::string id;        // generated, never from the protocol
  lines label;
  bool left = false;     // left-aligned (notes)
  std::string shape;     // dot shape
  std::string fill;      // fill colour
  std::string mermaid_open, mermaid_close;
  bool current = false;
  bool note = false;
  bool terminal = false;  // a discharge: drawn with a double border
};

struct edge {
  std::string from, to;
  lines label;
  bool dashed = false;
  bool arrow = true;
};

struct kind_style {
  const char* shape;
  const char* fill;
  const char* open;
  const char* close;
};

kind_style style_of(phase_kind k) {
  switch (k) {
    case phase_kind::screening: return {"box", "#e8eaf6", "[\"", "\"]"};
    case phase_kind::preparation: return {"box", "#e3f2fd", "[\"", "\"]"};
    case phase_kind::dosing: return {"hexagon", "#ffe0b2", "{{\"", "\"}}"};
    case phase_kind::guided_meditation: return {"box", "#f3e5f5", "[\"", "\"]"};
    case phase_kind::monitoring: return {"box", "#fff9c4", "[\"", "\"]"};
    case phase_kind::integration: return {"box", "#e0f7fa", "[\"", "\"]"};
    case phase_kind::psychotherapy: return {"box", "#f1f8e9", "[\"", "\"]"};
    case phase_kind::discharge: return {"box", "#c8e6c9", "([\"", "\"])"};
    case phase_kind::aborted: return {"octagon", "#ffcdd2", "[[\"", "\"]]"};
  }
  return {"box", "#ffffff", "[\"", "\"]"};
}

// --- escaping ----------------------------------------------------------------------------------

// Text inside a dot double-quoted string: quotes and backslashes escaped (so no dot escape such
// as \l or \N can be injected), control characters (newlines included) become spaces.
std::string dot_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7f) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

// Text inside a Mermaid quoted label: characters Mermaid or its HTML rendering would read as
// syntax become entity codes; control characters become spaces.
std::string mermaid_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '&': out += "#amp;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '|': out += "#124;"; break;
      case '`': out += "#96;"; break;
      default: out += (u < 0x20 || u == 0x7f) ? ' ' : ch;
    }
  }
  return out;
}

std::string dot_label(const lines& ls, bool left) {
  std::string s;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    s += dot_escape(ls[i]);
    if (left) {
      s += "\\l";
    } else if (i + 1 < ls.size()) {
      s += "\\n";
    }
  }
  return s;
}

std::string mermaid_label(const lines& ls) {
  std::string s;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (i > 0) s += "<br/>";
    s += mermaid_escape(ls[i]);
  }
  return s;
}

// One line of a comment: no newline may end it early.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  }
  return out;
}

// --- the model -----------------------------------------------------------------------------------

struct diagram {
  std::vector<node> nodes;
  std::vector<edge> edges;
  std::string start;  // node id of the initial phase, if any
};

diagram build(const protocol& p, const options& o) {
  diagram d;
  auto node_of = [&](std::string_view phase_id) -> std::string {
    for (std::size_t i = 0; i < p.phases.size(); ++i) {
      if (p.phases[i].id == phase_id) return "p" + std::to_string(i);
    }
    return {};
  };
  std::vector<std::string> dosing_nodes;
  std::string aborted_node;
  for (std::size_t i = 0; i < p.phases.size(); ++i) {
    const auto& ph = p.phases[i];
    const auto st = style_of(ph.kind);
    node n;
    n.id = "p" + std::to_string(i);
    n.label.push_back(ph.id);
    const std::string kind(enum_name(ph.kind));
    if (kind != ph.id) n.label.push_back("(" + kind + ")");
    if (ph.min_duration && ph.max_duration) {
      n.label.push_back(mins(*ph.min_duration) + " to " + mins(*ph.max_duration));
    } else if (ph.min_duration) {
      n.label.push_back("at least " + mins(*ph.min_duration));
    } else if (ph.max_duration) {
      n.label.push_back("at most " + mins(*ph.max_duration));
    }
    if (!ph.entry.empty()) {
      n.label.push_back("to enter:");
      for (const auto& r : ph.entry) n.label.push_back(describe(r));
    }
    n.current = o.current && *o.current == ph.id;
    n.terminal = ph.kind == phase_kind::discharge;
    if (n.current) n.label.push_back("[current phase]");
    n.shape = st.shape;
    n.fill = st.fill;
    n.mermaid_open = st.open;
    n.mermaid_close = st.close;
    if (ph.kind == phase_kind::dosing) dosing_nodes.push_back(n.id);
    if (ph.kind == phase_kind::aborted && aborted_node.empty()) aborted_node = n.id;
    d.nodes.push_back(std::move(n));
  }
  d.start = node_of(p.initial);
  for (const auto& t : p.transitions) {
    edge e;
    e.from = node_of(t.from);
    e.to = node_of(t.to);
    if (e.from.empty() || e.to.empty()) continue;  // a dangling transition: validation reports it
    for (const auto& r : t.require) e.label.push_back(describe(r));
    d.edges.push_back(std::move(e));
  }
  if (!aborted_node.empty()) {
    node any;
    any.id = "any";
    any.label = {"any phase"};
    any.shape = "plaintext";
    any.fill = "#ffffff";
    any.mermaid_open = "([\"";
    any.mermaid_close = "\"])";
    d.nodes.push_back(std::move(any));
    d.edges.push_back({"any", aborted_node, {"abort"}, true, true});
  }
  if (!o.notes) return d;
  if (!p.dose_requires.empty() || !p.limits.empty()) {
    node n;
    n.id = "note_dose";
    n.note = true;
    n.left = true;
    n.shape = "note";
    n.fill = "#fffde7";
    n.mermaid_open = ">\"";
    n.mermaid_close = "\"]";
    if (!p.dose_requires.empty()) {
      n.label.push_back("every dose needs:");
      for (const auto& r : p.dose_requires) n.label.push_back("- " + describe(r));
    }
    if (!p.limits.empty()) {
      n.label.push_back("dose limits:");
      for (const auto& l : p.limits) n.label.push_back("- " + limit_text(l));
    }
    const auto hold = limits_text(p.vitals.hold);
    const auto critical = limits_text(p.vitals.critical);
    if (!hold.empty()) n.label.push_back("dosing waits unless: " + hold);
    for (const auto& band : p.vitals.hold_by_age) {
      n.label.push_back("from age " + std::to_string(band.from_age) + ", unless: " +
                        limits_text(hold_for_age(p.vitals, band.from_age)));
    }
    if (!critical.empty()) n.label.push_back("critical alert unless: " + critical);
    for (const auto& target : dosing_nodes) d.edges.push_back({n.id, target, {}, true, false});
    d.nodes.push_back(std::move(n));
  }
  const auto& s = p.schedules;
  if (!s.vitals.empty() || !s.dose_checks.empty() || !s.measures.empty()) {
    node n;
    n.id = "note_schedules";
    n.note = true;
    n.left = true;
    n.shape = "note";
    n.fill = "#fffde7";
    n.mermaid_open = ">\"";
    n.mermaid_close = "\"]";
    n.label.push_back("schedules:");
    for (const auto& v : s.vitals) {
      std::string phases;
      for (const auto& ph : v.phases) phases += (phases.empty() ? "" : ", ") + ph;
      n.label.push_back("- vitals every " + mins(v.every) + " in " + phases);
    }
    for (const auto& c : s.dose_checks) {
      n.label.push_back("- " + c.name + ": vitals " + mins(c.after) + " after each dose (+/- " + mins(c.tolerance) + ")");
    }
    for (const auto& m : s.measures) n.label.push_back("- " + m.instrument + " on entering " + m.phase);
    n.label.push_back("- overdue " + mins(s.grace) + " after due");
    d.nodes.push_back(std::move(n));
  }
  return d;
}

std::string to_dot(const protocol& p, const diagram& d) {
  std::string out;
  out += "digraph \"" + dot_escape(p.id.str()) + "\" {\n";
  lines title;
  if (!p.title.empty()) title.push_back(p.title);
  title.push_back(p.id.str() + " version " + p.version);
  out += "  graph [label=\"" + dot_label(title, false) +
         "\", labelloc=t, fontname=\"Helvetica\", fontsize=14, rankdir=TB, nodesep=0.4];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  if (!d.start.empty()) {
    out += "  start [shape=point, width=0.15, label=\"\"];\n";
    out += "  start -> " + d.start + ";\n";
  }
  for (const auto& n : d.nodes) {
    out += "  " + n.id + " [label=\"" + dot_label(n.label, n.left) + "\", shape=" + n.shape + ", fillcolor=\"" +
           n.fill + "\"";
    if (n.shape == "plaintext") out += ", style=\"\"";
    if (n.terminal) out += ", peripheries=2, style=\"filled,rounded\"";
    if (n.current) out += ", color=\"#c62828\", penwidth=3";
    out += "];\n";
  }
  for (const auto& e : d.edges) {
    out += "  " + e.from + " -> " + e.to;
    std::string attrs;
    if (!e.label.empty()) attrs += "label=\"" + dot_label(e.label, false) + "\"";
    if (e.dashed) attrs += std::string(attrs.empty() ? "" : ", ") + (e.arrow ? "style=dashed" : "style=dotted");
    if (!e.arrow) attrs += ", arrowhead=none";
    if (!attrs.empty()) out += " [" + attrs + "]";
    out += ";\n";
  }
  out += "}\n";
  return out;
}

std::string to_mermaid(const protocol& p, const diagram& d) {
  std::string out;
  out += "%% protocol " + one_line(p.id.str()) + " version " + one_line(p.version) + "\n";
  out += "flowchart TD\n";
  if (!d.start.empty()) {
    out += "  init((\" \")) --> " + d.start + "\n";
  }
  for (const auto& n : d.nodes) {
    out += "  " + n.id + n.mermaid_open + mermaid_label(n.label) + n.mermaid_close + "\n";
  }
  for (const auto& e : d.edges) {
    out += "  " + e.from;
    if (!e.arrow) {
      out += " -.- ";
    } else if (e.dashed) {
      out += " -.->";
    } else {
      out += " -->";
    }
    if (!e.label.empty()) out += "|\"" + mermaid_label(e.label) + "\"|";
    out += (e.arrow ? " " : "") + e.to + "\n";
  }
  // Styles: one class per kind used, notes, the current phase.
  for (const auto& n : d.nodes) {
    if (n.id == "any") continue;
    out += "  style " + n.id + " fill:" + n.fill + (n.current ? ",stroke:#c62828,stroke-width:4px" : "") + "\n";
  }
  return out;
}

}  // namespace

std::string describe(const requirement& r) {
  using namespace requirements;
  return std::visit(
      [](const auto& x) -> std::string {
        using R = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<R, consent_signed>) {
          return "consent signed";
        } else if constexpr (std::is_same_v<R, screening_passed>) {
          return "screening passed";
        } else if constexpr (std::is_same_v<R, checklist_done>) {
          return "checklist: " + x.item;
        } else if constexpr (std::is_same_v<R, vitals_within>) {
          const std::string which = x.limits ? limits_text(*x.limits) : std::string("hold limits");
          return "vitals within " + (which.empty() ? std::string("limits") : which) + ", <= " + mins(x.max_age) + " old";
        } else if constexpr (std::is_same_v<R, min_time_in_phase>) {
          return ">= " + mins(x.duration) + " in phase";
        } else if constexpr (std::is_same_v<R, min_time_since_dose>) {
          return ">= " + mins(x.duration) + " since dose";
        } else if constexpr (std::is_same_v<R, measure_recorded>) {
          return x.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, measure_at_most>) {
          return x.instrument + " <= " + std::to_string(x.value);
        } else if constexpr (std::is_same_v<R, signed_off>) {
          return "sign-off " + x.what + " by " + std::string(to_string(x.role));
        } else if constexpr (std::is_same_v<R, no_open_alerts>) {
          return x.severity == alert_severity::critical ? "no open critical alert" : "no open alert";
        } else if constexpr (std::is_same_v<R, dose_given>) {
          return "dose given";
        } else {
          return "check: " + x.name;
        }
      },
      r);
}

result<format> parse_format(std::string_view name) {
  if (name == "dot") return format::dot;
  if (name == "mermaid") return format::mermaid;
  return error{errc::unknown_enum,
               "unknown graph format \"" + std::string(name.substr(0, 32)) + "\" (known: dot, mermaid)"};
}

std::string render(const protocol& p, const options& o) {
  const diagram d = build(p, o);
  return o.format == format::mermaid ? to_mermaid(p, d) : to_dot(p, d);
}

std::string render(const session& s, options o) {
  o.current = s.phase();
  return render(s.definition(), o);
}

}  // namespace kap::graph
