#!/usr/bin/env python3
"""Checks folded stacks against the profile they come from.

usage: folded_check.py PROFILE.pb.gz SAMPLE_INDEX < FOLDED
       folded_check.py --sample-types PROFILE.pb.gz

Decodes the profile.proto on its own (gzip, protobuf wire format) and sums
the value SAMPLE_INDEX of every sample that has a stack. The folded lines
("frame;frame;... value") must be well formed, each stack listed once,
and their values must add up to that sum. Exits 1 and says why if not.
"""
import gzip
import re
import sys


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(buf):
    """(field number, wire type, value) of a message: ints, or bytes for length-delimited fields."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 2:
            n, i = varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire == 1:
            value, i = int.from_bytes(buf[i:i + 8], "little"), i + 8
        elif wire == 5:
            value, i = int.from_bytes(buf[i:i + 4], "little"), i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def repeated_ints(wire, value):
    if wire == 0:
        return [value]
    out, i = [], 0
    while i < len(value):
        v, i = varint(value, i)
        out.append(v)
    return out


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def read_profile(path):
    data = open(path, "rb").read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def sample_types(path):
    return sum(1 for number, _, _ in fields(read_profile(path)) if number == 1)


def stacked_total(path, index):
    data = read_profile(path)
    total = 0
    for number, wire, value in fields(data):
        if number != 2:  # Sample
            continue
        locations, values = [], []
        for n, w, v in fields(value):
            if n == 1:
                locations += repeated_ints(w, v)
            elif n == 2:
                values += [signed(x) for x in repeated_ints(w, v)]
        if locations:
            total += values[index]
    return total


LINE = re.compile(r"^([^;\n]+(?:;[^;\n]+)*) (-?\d+)$")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    if sys.argv[1] == "--sample-types":
        print(sample_types(sys.argv[2]))
        return
    want = stacked_total(sys.argv[1], int(sys.argv[2]))
    got, seen, problems = 0, set(), []
    for n, line in enumerate(sys.stdin, 1):
        m = LINE.match(line.rstrip("\n"))
        if not m:
            problems.append(f"line {n} is not 'frame;frame value': {line!r}")
            continue
        if m.group(1) in seen:
            problems.append(f"line {n} repeats a stack")
        seen.add(m.group(1))
        got += int(m.group(2))
    if got != want:
        problems.append(f"values add up to {got}, the profile's samples to {want}")
    if not seen:
        problems.append("no stacks")
    for p in problems[:10]:
        print(f"{sys.argv[1]} [{sys.argv[2]}]: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
