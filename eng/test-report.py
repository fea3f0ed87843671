#!/usr/bin/env python3
"""Prints where a test run's time went, one row per test class (tests, failed, seconds), slowest first; then, last, each
test that did not pass with its message: CI keeps only the end of a run's output, and this is what it should show.

Usage: test-report.py <results folder>   (every *.trx below it, as eng/test.sh writes them)
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration: str) -> float:
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


# A failed test's message is cut to its first and last lines (a failed publish ends with its errors).
HEAD_LINES, TAIL_LINES, MOST_SHOWN = 4, 12, 6


def results(trx: pathlib.Path):
    """(class, test name, seconds, outcome, message) for each result in the trx."""
    root = ET.parse(trx).getroot()
    owner = {u.get("id"): u.find("t:TestMethod", NS).get("className") for u in root.iterfind(".//t:UnitTest", NS)}
    for result in root.iterfind(".//t:UnitTestResult", NS):
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        yield (owner.get(result.get("testId"), "?"), result.get("testName", "?"), seconds(result.get("duration", "0:0:0")),
               result.get("outcome"), message)


def shortened(message: str) -> list[str]:
    lines = message.strip().splitlines() or ["(no message)"]
    if len(lines) <= HEAD_LINES + TAIL_LINES + 1:
        return lines
    return lines[:HEAD_LINES] + [f"[... {len(lines) - HEAD_LINES - TAIL_LINES} lines ...]"] + lines[-TAIL_LINES:]


def main() -> None:
    totals: dict[str, list[float]] = {}
    failures = []
    for trx in sorted(pathlib.Path(sys.argv[1]).rglob("*.trx")):
        for name, test, took, outcome, message in results(trx):
            row = totals.setdefault(name, [0, 0, 0.0])
            row[0] += 1
            row[1] += outcome != "Passed"
            row[2] += took
            if outcome != "Passed":
                failures.append((f"{name}.{test}", outcome, message))
    if not totals:
        return
    width = max(len(n) for n in totals)
    print(f"{'test class':<{width}}  tests  failed  seconds")
    for name, (count, failed, took) in sorted(totals.items(), key=lambda kv: -kv[1][2]):
        print(f"{name:<{width}}  {count:>5}  {failed:>6}  {took:>7.1f}")
    print(f"{'all':<{width}}  {sum(r[0] for r in totals.values()):>5}  {sum(r[1] for r in totals.values()):>6}  "
          f"{sum(r[2] for r in totals.values()):>7.1f}")
    for test, outcome, message in failures[:MOST_SHOWN]:
        print(f"\n{outcome.upper()}: {test}")
        print("\n".join("  " + line for line in shortened(message)))
    if len(failures) > MOST_SHOWN:
        print(f"\n... and {len(failures) - MOST_SHOWN} more not passed: see each project's console.log under the results folder")


if __name__ == "__main__":
    main()
