"""Do two runs of ``nbcrash classify`` give the same verdicts? (A refactor must not change them.)

Usage: python benchmarks/compare_verdicts.py BEFORE.jsonl AFTER.jsonl

Compares, record by record, the four codes, their fine labels and the library, and (separately)
the words: summary, evidence, suggestions, confidence. Prints counts only, never the records.
Exit status 1 when a verdict differs.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

VERDICT = ("exception_type", "exception_type_detail", "root_cause", "root_cause_detail", "origin", "library", "stage")
WORDS = ("summary", "evidence", "suggestions", "confidence")


def _records(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def compare(before: list[dict], after: list[dict]) -> tuple[int, int, dict[str, int]]:
    """(records whose verdict differs, records whose words differ, differences per field)."""
    if len(before) != len(after):
        raise SystemExit(f"different numbers of records: {len(before)} and {len(after)}")
    per_field = {field: 0 for field in (*VERDICT, *WORDS)}
    verdicts = words = 0
    for old, new in zip(before, after):
        changed = [f for f in per_field if old.get(f) != new.get(f)]
        for field in changed:
            per_field[field] += 1
        verdicts += any(f in VERDICT for f in changed)
        words += any(f in WORDS for f in changed)
    return verdicts, words, per_field


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    args = parser.parse_args(argv)
    before, after = _records(args.before), _records(args.after)
    verdicts, words, per_field = compare(before, after)
    print(f"{verdicts} of {len(before)} records differ in a verdict (codes, fine labels, library); "
          f"{words} differ in their words")
    for field, count in per_field.items():
        if count:
            print(f"  {field}: {count}")
    return 1 if verdicts else 0


if __name__ == "__main__":
    raise SystemExit(main())
