#!/usr/bin/env python3
"""Lists public declarations in include/kap that have no `///` comment (a heuristic, not a parser).

A declaration counts as documented when the line before it (skipping `template <...>` and
attribute-only lines) is a `///` comment, or the declaration line itself carries `///<`.
Skipped: namespace `detail` and every `detail/` folder, private and protected class members,
function bodies, out-of-line member definitions, definitions of functions declared above, enumerators, friends, `= default`/`= delete` members, BOOST_DESCRIBE_* lines,
static_assert and using-directives, and `*-inl.hpp` files (the definitions of what their header
declares and documents, compiled into the library unless KAP_HEADER_ONLY). Usage: scripts/undocumented.py [ROOT]; exits 1 if any found.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
DECL = re.compile(r"^\s*(template\s*<.*>\s*)?(\[\[[^\]]*\]\]\s*)*"
                  r"(inline|constexpr|static|explicit|virtual|KAP_\w+_EXPORT|\w+::|\w+|~|operator)")
SKIP = re.compile(r"^\s*(public:|private:|protected:|friend\b|BOOST_DESCRIBE|static_assert|using namespace|"
                  r"#|template\s*<|\}|\{|return\b|case\b|default:|namespace\b|//)")


def strip(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    return line.split("//")[0]


def scan(path):
    out = []
    lines = path.read_text().splitlines()
    stack = []  # ("ns", name) | ("class", access) | ("enum",) | ("body",)
    pending = ""  # the text since the last ; { or } at this level (a statement being read)
    for i, raw in enumerate(lines):
        code = strip(raw)
        public_scope = all(s[0] == "ns" and s[1] != "detail" or s[0] == "class" and s[1] == "public"
                           for s in stack)
        if stack and stack[-1][0] == "class":
            m = re.match(r"^\s*(public|private|protected):", code)
            if m:
                stack[-1] = ("class", m.group(1))
                public_scope = False
        starts_statement = pending.strip() == ""
        if (public_scope and starts_statement and code.strip() and not SKIP.match(code)
                and DECL.match(code) and not re.search(r"=\s*(default|delete)\s*;", code)
                and not re.search(r"\b(?!std::)\w+(<[^<>]*>)?::~?\w+\s*\(", code)  # out-of-line definition
                and "///<" not in raw):
            j = i - 1
            while j >= 0 and (re.match(r"^\s*template\s*<", lines[j]) or re.match(r"^\s*\[\[[^\]]*\]\]\s*$", lines[j])):
                j -= 1
            name = re.search(r"(\w+)\s*\(", code)
            declared_before = name and any(re.search(rf"\b{name.group(1)}\s*\(.*\);\s*$", earlier)
                                           for earlier in lines[:i])
            if (j < 0 or not lines[j].strip().startswith("///")) and not declared_before:
                out.append((i + 1, raw.strip()))
        for ch in code:
            if ch == "{":
                head = pending
                if re.search(r"\bnamespace\s+([\w:]+)?\s*$", head):
                    name = re.search(r"\bnamespace\s*([\w:]*)\s*$", head).group(1)
                    stack.append(("ns", "detail" if "detail" in name.split("::") else name.split("::")[-1] if name else ""))
                elif re.search(r"\benum\b", head):
                    stack.append(("enum",))
                elif re.search(r"\b(struct|union)\b[^()]*$", head):
                    stack.append(("class", "public"))
                elif re.search(r"\bclass\b[^()]*$", head):
                    stack.append(("class", "private"))
                else:
                    stack.append(("body",))
                pending = ""
            elif ch == "}":
                if stack:
                    stack.pop()
                pending = ""
            elif ch == ";":
                pending = ""
            else:
                pending += ch
        pending += " "
    return out


found = 0
for path in sorted((root / "include" / "kap").rglob("*.hpp")):
    if "detail" in path.parts or path.name.endswith("-inl.hpp"):
        continue
    for line, text in scan(path):
        print(f"{path.relative_to(root)}:{line}: {text}")
        found += 1
print(f"{found} undocumented public declarations", file=sys.stderr)
sys.exit(1 if found else 0)
