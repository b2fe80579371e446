#!/usr/bin/env python3
"""Checks that every C++ snippet in README.md and docs/*.md is code the build compiles.

Each ```cpp block must stand right below a marker line naming where it comes from:

    <!-- snippet: examples/first_session.cpp#session -->

and that file (under examples/ or tests/, which the build compiles and runs) must hold the region

    // [snippet:session]
    ...the same lines...
    // [/snippet:session]

The block must equal the region, line for line, after the region's common indentation is removed.
Two more facts that docs kept getting wrong are checked from the tree itself:
- docs/getting-started.md names every program in examples/;
- the `kap::core` rows of docs/architecture.md and docs/integrating.md name every header folder
  that CMakeLists.txt puts in kap::core.

Usage: doc_snippets.py ROOT        check the tree at ROOT; exit 1 listing every problem
       doc_snippets.py --self-test check that the checker rejects each kind of drift
"""

import os
import re
import sys
import tempfile

MARKER = re.compile(r"^<!-- snippet: (?P<path>[^#\s]+)#(?P<region>[a-z0-9-]+) -->$")
FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
COMPILED_DIRS = ("examples/", "tests/")


def doc_files(root):
    out = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    out += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return [f for f in out if os.path.isfile(f)]


def region_of(text, name):
    """The lines between `// [snippet:NAME]` and `// [/snippet:NAME]`, dedented; None if absent."""
    lines = text.split("\n")
    begin = [i for i, l in enumerate(lines) if l.strip() == f"// [snippet:{name}]"]
    end = [i for i, l in enumerate(lines) if l.strip() == f"// [/snippet:{name}]"]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        return None
    body = lines[begin[0] + 1 : end[0]]
    indents = [len(l) - len(l.lstrip(" ")) for l in body if l.strip()]
    cut = min(indents) if indents else 0
    return [l[cut:] if l.strip() else "" for l in body]


def check_snippets(root, rel_doc, text):
    problems = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start = i
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        block = lines[start + 1 : i]
        i += 1
        if m.group("lang") not in ("cpp", "c++"):
            continue
        where = f"{rel_doc}:{start + 1}"
        marker = MARKER.match(lines[start - 1]) if start > 0 else None
        if not marker:
            problems.append(f"{where}: a C++ snippet without a '<!-- snippet: FILE#REGION -->' line above it")
            continue
        path, region = marker.group("path"), marker.group("region")
        if not path.startswith(COMPILED_DIRS) or ".." in path.split("/"):
            problems.append(f"{where}: {path} is not under examples/ or tests/, which the build compiles")
            continue
        source = os.path.join(root, path)
        if not os.path.isfile(source):
            problems.append(f"{where}: {path} does not exist")
            continue
        with open(source, encoding="utf-8") as f:
            want = region_of(f.read(), region)
        if want is None:
            problems.append(f"{where}: {path} has no region '{region}' (one '// [snippet:{region}]' and one "
                            f"'// [/snippet:{region}]')")
            continue
        if block != want:
            n = next((k for k in range(max(len(block), len(want)))
                      if k >= len(block) or k >= len(want) or block[k] != want[k]))
            got = block[n] if n < len(block) else "(the snippet ends)"
            exp = want[n] if n < len(want) else "(the region ends)"
            problems.append(f"{where}: line {n + 1} of the snippet differs from {path}#{region}:\n"
                            f"    doc:    {got}\n    source: {exp}")
    return problems


def check_examples_listed(root):
    examples = os.path.join(root, "examples")
    guide = os.path.join(root, "docs", "getting-started.md")
    if not os.path.isdir(examples) or not os.path.isfile(guide):
        return []
    with open(guide, encoding="utf-8") as f:
        text = f.read()
    return [f"docs/getting-started.md: does not name examples/{name}"
            for name in sorted(os.listdir(examples)) if name.endswith(".cpp") and f"`{name}`" not in text]


def core_folders(root):
    """The include/kap/<folder>s that CMakeLists.txt puts in kap::core (all but the excluded ones)."""
    with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r'list\(FILTER _kap_core_headers EXCLUDE REGEX "/include/kap/\(([a-z|]+)\)/', f.read())
    excluded = set(m.group(1).split("|")) if m else set()
    base = os.path.join(root, "include", "kap")
    return sorted(d for d in os.listdir(base)
                  if os.path.isdir(os.path.join(base, d)) and d not in excluded and d != "detail")


def check_core_rows(root):
    problems = []
    folders = core_folders(root)
    for rel in ("docs/architecture.md", "docs/integrating.md"):
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            rows = [l for l in f if l.startswith("| `kap::core` |")]
        if len(rows) != 1:
            problems.append(f"{rel}: expected one table row for `kap::core`, found {len(rows)}")
            continue
        missing = [d for d in folders if f"`kap/{d}/*`" not in rows[0]]
        if missing:
            problems.append(f"{rel}: the `kap::core` row does not name " + ", ".join(f"`kap/{d}/*`" for d in missing))
    return problems


def check_tree(root):
    problems = []
    for doc in doc_files(root):
        with open(doc, encoding="utf-8") as f:
            problems += check_snippets(root, os.path.relpath(doc, root), f.read())
    return problems + check_examples_listed(root) + check_core_rows(root)


def self_test():
    """Each kind of drift must be reported; the matching tree must pass."""
    source = "int main() {\n  // [snippet:demo]\n  int x = 1;\n  return x;\n  // [/snippet:demo]\n}\n"
    good = "<!-- snippet: examples/demo.cpp#demo -->\n```cpp\nint x = 1;\nreturn x;\n```\n"
    cases = {
        "matches": (good, None),
        "no marker": ("```cpp\nint x = 1;\n```\n", "without a '<!-- snippet"),
        "drifted line": (good.replace("return x;", "return 0;"), "line 2 of the snippet differs"),
        "extra line": (good.replace("return x;\n", "return x;\nx++;\n"), "line 3 of the snippet differs"),
        "missing region": (good.replace("#demo", "#other"), "has no region 'other'"),
        "missing file": (good.replace("demo.cpp", "gone.cpp"), "does not exist"),
        "not compiled": (good.replace("examples/demo.cpp", "include/demo.hpp"), "not under examples/ or tests/"),
    }
    failures = []
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "examples"))
        with open(os.path.join(root, "examples", "demo.cpp"), "w", encoding="utf-8") as f:
            f.write(source)
        for name, (doc, expect) in cases.items():
            found = check_snippets(root, "doc.md", doc)
            if expect is None and found:
                failures.append(f"{name}: reported {found}")
            if expect is not None and not any(expect in p for p in found):
                failures.append(f"{name}: expected a problem containing {expect!r}, got {found}")
        # getting-started.md must name every example; the kap::core rows every core folder.
        os.makedirs(os.path.join(root, "docs"))
        with open(os.path.join(root, "docs", "getting-started.md"), "w", encoding="utf-8") as f:
            f.write("`other.cpp`\n")
        if not any("does not name examples/demo.cpp" in p for p in check_examples_listed(root)):
            failures.append("an example missing from getting-started.md was not reported")
        os.makedirs(os.path.join(root, "include", "kap", "session"))
        os.makedirs(os.path.join(root, "include", "kap", "json"))
        with open(os.path.join(root, "CMakeLists.txt"), "w", encoding="utf-8") as f:
            f.write('list(FILTER _kap_core_headers EXCLUDE REGEX "/include/kap/(json|log)/")\n')
        with open(os.path.join(root, "docs", "architecture.md"), "w", encoding="utf-8") as f:
            f.write("| `kap::core` | header-only | `kap/core/*` |\n")
        found = check_core_rows(root)
        if not any("does not name `kap/session/*`" in p for p in found):
            failures.append(f"a core folder missing from the kap::core row was not reported: {found}")
        if any("kap/json" in p for p in found):
            failures.append(f"an excluded folder was required in the kap::core row: {found}")
    for f in failures:
        print("self-test: " + f)
    print(f"doc_snippets self-test: {len(cases) + 3 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[-1])
        return 2
    problems = check_tree(argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"doc_snippets: {len(problems)} problem(s)")
        return 1
    print("doc_snippets: every C++ snippet matches its compiled source")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
