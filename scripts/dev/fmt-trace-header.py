#!/usr/bin/env python3
"""Re-indent a trace event header so that checkpatch --strict is quiet:
macro arguments aligned to the open parenthesis, no line ending in '('.
Usage: fmt-trace-header.py FILE (rewrites it in place)."""
import re
import sys

def indent(col):
    return "\t" * (col // 8) + " " * (col % 8)

def width(s):
    col = 0
    for ch in s:
        col = (col // 8 + 1) * 8 if ch == "\t" else col + 1
    return col

path = sys.argv[1]
lines = open(path).read().split("\n")
out = []
i = 0
ev = re.compile(r"^(TRACE_EVENT|DECLARE_EVENT_CLASS|DEFINE_EVENT)\(")
while i < len(lines):
    line = lines[i]
    m = ev.match(line)
    if not m:
        out.append(line)
        i += 1
        continue
    base = len(m.group(0))
    out.append(line)
    i += 1
    inner = None          # column of an open TP_STRUCT__entry( / TP_fast_assign(
    cont = None           # column for continuation lines of TP_PROTO etc.
    while i < len(lines) and lines[i] != ");":
        s = lines[i].strip()
        i += 1
        if inner is not None:
            if s == "),":
                out.append(indent(base) + "),")
                inner = None
                continue
            out.append(indent(inner) + s)
            continue
        mm = re.match(r"^(TP_STRUCT__entry|TP_fast_assign)\($", s)
        if mm:
            inner = base + len(mm.group(1)) + 1
            first = lines[i].strip()
            i += 1
            out.append(indent(base) + mm.group(1) + "(" + first)
            continue
        if re.match(r"^TP_\w+\(", s):
            out.append(indent(base) + s)
            cont = base + s.index("(") + 1
            continue
        out.append(indent(cont) + s)
    out.append(");")
    i += 1
open(path, "w").write("\n".join(out))
