#!/usr/bin/python3
"""Summarises CPU samples of a JFR recording: top frames (self time) and inclusive time per method
and per package. Usage: jfr-top.py recording.jfr [N]   (runs `jfr print --events jdk.ExecutionSample`)."""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", path],
                      capture_output=True, text=True, check=True).stdout
frame_re = re.compile(r"^\s+([\w$.<>/]+)\(.*line:")
samples, stack, threads = [], [], collections.Counter()
in_stack = False
for line in text.splitlines():
    if "stackTrace = [" in line:
        in_stack, stack = True, []
    elif in_stack and line.strip() in ("]", "...", "]\n"):
        if line.strip() == "]":
            in_stack = False
            samples.append(stack)
    elif in_stack:
        m = frame_re.match(line)
        if m:
            stack.append(m.group(1))
    m = re.search(r'sampledThread = "([^"]*)"', line)
    if m:
        threads[re.sub(r"[-#]?\d+$", "", m.group(1))] += 1
n = len(samples)
selfc = collections.Counter(s[0] for s in samples if s)
incl, pkg = collections.Counter(), collections.Counter()
for s in samples:
    for f in set(s):
        incl[f] += 1
    for p in {".".join(f.split(".")[:4]) for f in s}:
        pkg[p] += 1
print(f"{n} samples")
print("\n# threads"); [print(f"{c*100/n:5.1f}%  {t}") for t, c in threads.most_common(12)]
print("\n# self (top frame)"); [print(f"{c*100/n:5.1f}%  {f}") for f, c in selfc.most_common(top_n)]
print("\n# inclusive, io.sluice / netty / chronicle / subetha / bouncycastle methods")
shown = 0
for f, c in incl.most_common():
    if re.match(r"(io\.sluice|io\.netty|net\.openhft|org\.subethamail|org\.bouncycastle|sun\.security|java\.security)", f):
        print(f"{c*100/n:5.1f}%  {f}")
        shown += 1
        if shown >= top_n:
            break
print("\n# inclusive by package prefix"); [print(f"{c*100/n:5.1f}%  {p}") for p, c in pkg.most_common(top_n)]
