#!/usr/bin/env python3
"""Checks that an SVG drawn by Graphviz shows the graph of a DOT text.

usage: svg_graph_check.py GRAPH.dot GRAPH.svg

Reads pprof's DOT (one node or edge statement a line) and the SVG, where
Graphviz names each node and edge in a <title> element and writes its label
lines in <text> elements, and compares nodes, node labels, edges and edge
labels. Exits 1 and says what differs if they are not the same graph.
"""
import re
import sys
import xml.etree.ElementTree as ET

NODE = re.compile(r'^\s*(?:subgraph \S+ \{ )?("(?:[^"\\]|\\.)*"|\w+) \[(.*)$')
LABEL = re.compile(r'(?:^|\s)label ?= ?"((?:[^"\\]|\\.)*)"')
EDGE = re.compile(r'^(\w+) -> (\w+) \[label="((?:[^"\\]|\\.)*)"')
SVG = "{http://www.w3.org/2000/svg}"


def dot_lines(label):
    """A DOT label's lines, as Graphviz breaks them at \\n, \\l and \\r."""
    lines, cur, i = [], "", 0
    while i < len(label):
        c = label[i]
        if c == "\\" and i + 1 < len(label):
            n = label[i + 1]
            if n in "nlr":
                lines.append(cur)
                cur = ""
            else:
                cur += n
            i += 2
            continue
        cur += c
        i += 1
    lines.append(cur)
    return [l.strip() for l in lines if l.strip()]


def read_dot(path):
    nodes, edges = {}, {}
    for line in open(path, encoding="utf-8"):
        m = EDGE.match(line)
        if m:
            edges[(m.group(1), m.group(2))] = dot_lines(m.group(3))
            continue
        m = NODE.match(line)
        if m and m.group(1) not in ("node", "edge", "graph"):
            name = m.group(1)
            if name.startswith('"'):
                name = dot_lines(name[1:-1])[0]
            label = LABEL.search(m.group(2))
            nodes[name] = dot_lines(label.group(1)) if label else [name]
    return nodes, edges


def read_svg(path):
    nodes, edges = {}, {}
    root = ET.parse(path).getroot()
    for g in root.iter(SVG + "g"):
        kind = g.get("class")
        if kind not in ("node", "edge"):
            continue
        title = g.find(SVG + "title").text
        texts = [t.text.strip() for t in g.iter(SVG + "text") if t.text and t.text.strip()]
        if kind == "node":
            nodes[title] = texts
        else:
            src, dst = title.split("->")
            edges[(src, dst)] = texts
    return nodes, edges


def compare(what, want, got):
    problems = []
    for key in sorted(set(want) | set(got), key=str):
        if key not in got:
            problems.append(f"{what} {key} is missing from the SVG")
        elif key not in want:
            problems.append(f"{what} {key} is in the SVG only")
        elif want[key] != got[key]:
            problems.append(f"{what} {key}: DOT says {want[key]}, SVG shows {got[key]}")
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dot_nodes, dot_edges = read_dot(sys.argv[1])
    svg_nodes, svg_edges = read_svg(sys.argv[2])
    problems = compare("node", dot_nodes, svg_nodes) + compare("edge", dot_edges, svg_edges)
    if not dot_nodes:
        problems.append("the DOT text has no nodes")
    for p in problems[:20]:
        print(f"{sys.argv[2]}: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
