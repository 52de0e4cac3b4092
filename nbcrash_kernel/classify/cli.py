"""``nbcrash classify FILE``: its arguments, and the run that labels each record."""
from __future__ import annotations

import argparse
import sys
from typing import Any


def _run_classify(args: argparse.Namespace) -> int:
    from .records import RecordsError, classify_rows, read_records, write_records

    try:
        frame = read_records(args.input)
        records = list(classify_rows(frame.to_dict("records"), weigh_all=args.explain))
        if args.explain:
            from ..classifier.rule_docs import explain_records

            sys.stdout.write(explain_records(records))
        if args.output is not None or not args.explain:
            write_records(records, args.output, sys.stdout)
    except RecordsError as exc:
        print(f"nbcrash classify: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # the reader went away (`| head`): not an error of the input
    except OSError as exc:
        print(f"nbcrash classify: error: {exc}", file=sys.stderr)
        return 2
    failed = sum(1 for r in records if r.get("error"))
    if failed:
        print(f"nbcrash classify: {failed} of {len(records)} rows could not be read (see their 'error' field)",
              file=sys.stderr)
    return 0


def add_classify_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "classify", help="label crash records (CSV, JSONL, Parquet) with the taxonomy",
        description="Label each crash record (columns ename, evalue, traceback; optional crash_id) "
                    "with exception type, root cause, origin, library and stage.")
    parser.add_argument("input", help="a .csv, .jsonl or .parquet file of crash records")
    parser.add_argument("-o", "--output", default=None,
                        help="write .jsonl, .csv or .parquet (by extension); default: JSONL on stdout")
    parser.add_argument("--explain", action="store_true",
                        help="print, per record, the rule that decided each dimension, why, and the other rules that fired "
                             "(instead of JSONL on stdout; with -o the records still go to the file)")
    parser.set_defaults(func=_run_classify)
    return parser
