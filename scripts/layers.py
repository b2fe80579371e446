#!/usr/bin/env python3
"""Checks that kap's layers include one way: no file includes a header of a later layer.

    layers.py ROOT          checks ROOT/include/kap, ROOT/src and ROOT/tools/kapctl; prints the
                            layer graph as the includes show it; exits 1 on a violation
    layers.py --self-test   checks that the checker rejects an upward include, an include of a
                            sibling layer and a folder that has no layer

The order (docs/architecture.md): core; then log, measures, clinical and stats (siblings: none
includes another); the event and decision vocabulary (events); protocol; the session engine; course, cohort and
simulator (course); the JSON codec (json: the types of every layer above on the wire); journal;
reports and graph; fhir (which names the reports' course input); export (the old paths of those
three, forwarding); kapctl. A file's layer is its folder: include/kap/<layer>/..., src/<layer>/...,
include/kap/<layer>.hpp (an umbrella), tools/kapctl. Within one layer anything goes. Generated
export headers (<kap/json_export.hpp>: visibility macros only) and <kap/kap.hpp> (the umbrella of
everything) belong to no layer; <kap/version.hpp> and <kap/fwd.hpp> to core.
"""
import collections
import pathlib
import re
import sys
import tempfile

ORDER = [["core"], ["log", "measures", "clinical", "stats"], ["events"], ["protocol"], ["session"], ["course"],
         ["json"], ["journal"], ["reports", "graph"], ["fhir"], ["export"], ["kapctl"]]
RANK = {name: rank for rank, names in enumerate(ORDER) for name in names}
INCLUDE = re.compile(r'^\s*#\s*include\s*<kap/([^>]+)>', re.M)


def layer_of_header(rel):
    """The layer of a header named as in #include <kap/REL>; None for kap.hpp."""
    parts = rel.split("/")
    if len(parts) > 1:
        return parts[0]
    name = parts[0].removesuffix(".hpp")
    if name == "kap":
        return None
    if name in ("version", "fwd"):
        return "core"
    if name.endswith("_export"):
        return None  # a generated header of visibility macros, which any file of its library may use
    return name


def layer_of_file(root, path):
    rel = path.relative_to(root).parts
    if rel[0] == "include":
        return layer_of_header("/".join(rel[2:]))
    if rel[0] == "src":
        return rel[1]
    return "kapctl"


def check(root):
    root = pathlib.Path(root)
    files = [p for d in ("include/kap", "src", "tools/kapctl") for p in sorted((root / d).rglob("*"))
             if p.suffix in (".hpp", ".cpp", ".h")]
    graph = collections.defaultdict(set)
    problems = []
    for path in files:
        src = layer_of_file(root, path)
        if src is None:
            continue
        if src not in RANK:
            problems.append(f"{path.relative_to(root)}: folder '{src}' has no layer in scripts/layers.py")
            continue
        for m in INCLUDE.finditer(path.read_text(encoding="utf-8")):
            dst = layer_of_header(m.group(1))
            if dst is None or dst == src:
                continue
            if dst not in RANK:
                problems.append(f"{path.relative_to(root)}: includes <kap/{m.group(1)}>, of no layer")
                continue
            graph[src].add(dst)
            if RANK[dst] >= RANK[src]:
                how = "a sibling" if RANK[dst] == RANK[src] else "a later"
                problems.append(f"{path.relative_to(root)}: {src} includes <kap/{m.group(1)}>, of {how} layer ({dst})")
    return graph, problems


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    graph, problems = check(argv[1])
    for names in ORDER:
        for name in names:
            if graph.get(name):
                print(f"{name} -> {', '.join(sorted(graph[name], key=lambda n: (RANK[n], n)))}")
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} problem(s)")
    return 1 if problems else 0


def self_test():
    cases = {
        "upward": ("include/kap/protocol/p.hpp", "#include <kap/session/session.hpp>\n", "of a later layer"),
        "sibling": ("include/kap/clinical/c.hpp", "#include <kap/measures/m.hpp>\n", "of a sibling layer"),
        "src upward": ("src/json/j.cpp", "#include <kap/journal/journal.hpp>\n", "of a later layer"),
        "no layer": ("include/kap/newthing/n.hpp", "#include <kap/core/ids.hpp>\n", "has no layer"),
        "umbrella": ("include/kap/events.hpp", "#include <kap/protocol.hpp>\n", "of a later layer"),
    }
    failures = 0
    for name, (rel, text, expect) in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            good = root / "include/kap/session/s.hpp"
            good.parent.mkdir(parents=True)
            good.write_text("#include <kap/protocol/p.hpp>\n#include <kap/session_export.hpp>\n")
            (root / "src").mkdir()
            (root / "tools/kapctl").mkdir(parents=True)
            bad = root / rel
            bad.parent.mkdir(parents=True, exist_ok=True)
            bad.write_text(text)
            _, problems = check(root)
            if len(problems) != 1 or expect not in problems[0]:
                failures += 1
                print(f"self-test {name}: expected one problem with '{expect}', got {problems}")
    with tempfile.TemporaryDirectory() as tmp:  # the control: a tree that keeps the order passes
        root = pathlib.Path(tmp)
        f = root / "src/journal/j.cpp"
        f.parent.mkdir(parents=True)
        f.write_text("#include <kap/session/session.hpp>\n#include <kap/journal_export.hpp>\n#include <kap/kap.hpp>\n")
        (root / "include/kap").mkdir(parents=True)
        (root / "tools/kapctl").mkdir(parents=True)
        _, problems = check(root)
        if problems:
            failures += 1
            print(f"self-test control: expected no problem, got {problems}")
    print(f"layers self-test: {len(cases) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
