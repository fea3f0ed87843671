#!/usr/bin/env python3
"""Prints where a test run's time went: one row per test class (tests, failed, seconds), slowest first.

Usage: test-times.py <results folder>   (every *.trx below it, as eng/test.sh writes them)
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration: str) -> float:
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def classes(trx: pathlib.Path):
    root = ET.parse(trx).getroot()
    owner = {u.get("id"): u.find("t:TestMethod", NS).get("className") for u in root.iterfind(".//t:UnitTest", NS)}
    for result in root.iterfind(".//t:UnitTestResult", NS):
        yield owner.get(result.get("testId"), "?"), seconds(result.get("duration", "0:0:0")), result.get("outcome")


def main() -> None:
    totals: dict[str, list[float]] = {}
    for trx in sorted(pathlib.Path(sys.argv[1]).rglob("*.trx")):
        for name, took, outcome in classes(trx):
            row = totals.setdefault(name, [0, 0, 0.0])
            row[0] += 1
            row[1] += outcome != "Passed"
            row[2] += took
    if not totals:
        return
    width = max(len(n) for n in totals)
    print(f"{'test class':<{width}}  tests  failed  seconds")
    for name, (count, failed, took) in sorted(totals.items(), key=lambda kv: -kv[1][2]):
        print(f"{name:<{width}}  {count:>5}  {failed:>6}  {took:>7.1f}")
    print(f"{'all':<{width}}  {sum(r[0] for r in totals.values()):>5}  {sum(r[1] for r in totals.values()):>6}  "
          f"{sum(r[2] for r in totals.values()):>7.1f}")


if __name__ == "__main__":
    main()
