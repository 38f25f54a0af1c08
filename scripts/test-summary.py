#!/usr/bin/env python3
"""Adds up the Surefire and Failsafe reports of every module and prints one closing line:
'Tests: N passed, N failed, N skipped' (failed counts failures and errors), then the names of
the tests that failed or were skipped. Exit 1 if any failed, or, with --no-skips, if any was
skipped (in CI a skipped test is a test that did not run, so the suite did not pass)."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
no_skips = "--no-skips" in sys.argv[1:]
total = failed = skipped = 0
failed_names, skipped_names = [], []
per_module = {}
for path in sorted(glob.glob(os.path.join(root, "*", "target", "*-reports", "TEST-*.xml"))):
    module = os.path.relpath(path, root).split(os.sep)[0]
    kind = "it" if "failsafe" in path else "unit"
    try:
        suite = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"unreadable test report {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for case in suite.iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        total += 1
        m = per_module.setdefault((module, kind), [0, 0, 0])
        m[0] += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            m[1] += 1
            failed_names.append(name)
        elif case.find("skipped") is not None:
            skipped += 1
            m[2] += 1
            skipped_names.append(name)

for (module, kind), (n, f, s) in sorted(per_module.items()):
    print(f"  {module:<9} {kind:<4} {n:4d} tests, {f} failed, {s} skipped")
for n in failed_names:
    print(f"  FAILED  {n}")
for n in skipped_names:
    print(f"  SKIPPED {n}")
if total == 0:
    print("no test reports found: no test ran", file=sys.stderr)
print(f"Tests: {total - failed - skipped} passed, {failed} failed, {skipped} skipped")
if failed or total == 0:
    sys.exit(1)
if skipped and no_skips:
    print("skipped tests count as failures when CI=true: each one names the tool it missed above",
          file=sys.stderr)
    sys.exit(1)
