"""``nbcrash study ...``: the argparse subcommands of the study pipeline.

The lead's ``nbcrash_kernel.cli`` calls :func:`add_study_parser`; each subcommand's ``func``
takes the parsed namespace and returns the exit code (0 ok, 1 missing input, 2 bad usage).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable


# The study's modules import pandas: load them when a step runs, not when the parser is built.
def _folder(path: Any) -> Any:
    from .folder import StudyFolder

    return StudyFolder(path)


def _executor(args: argparse.Namespace) -> Any:
    from .parallel import Executor

    return Executor(jobs=getattr(args, "jobs", 1) or 1, dask=getattr(args, "dask", None))


def _min_cluster(specs: list[str] | None) -> dict[str, int]:
    out = {}
    for spec in specs or []:
        platform, _, k = spec.partition("=")
        out[platform.strip().lower()] = int(k)
    return out


def _sources(args: argparse.Namespace):
    from .ingest import parse_source

    return [parse_source(s, args.platform) for s in args.sources]


def _cmd_ingest(args) -> int:
    from .ingest import run_ingest

    run_ingest(_folder(args.study), _sources(args), _executor(args)).print(sys.stdout)
    return 0


def _cmd_filter(args) -> int:
    from .filters import run_filter

    run_filter(_folder(args.study), _executor(args)).print(sys.stdout)
    return 0


def _cmd_cluster(args) -> int:
    from .cluster import run_cluster

    report = run_cluster(_folder(args.study), _executor(args))
    report.print(sys.stdout)
    print(f"  clusters: {report.notes['n_clusters']}")
    return 0


def _cmd_sample(args) -> int:
    from .sample import run_sample

    run_sample(_folder(args.study), args.seed, args.p, args.pilot, _min_cluster(args.min_cluster)).print(sys.stdout)
    return 0


def _cmd_label(args) -> int:
    from .label import run_label, run_label_import

    folder = _folder(args.study)
    if args.import_sheets:
        report = run_label_import(folder, args.import_sheets)
        report.print(sys.stdout)
        for dim, value in report.notes.get("agreement", {}).items():
            print(f"  agreement {dim}: n={value['n']} accuracy={value['accuracy']} kappa={value['cohen_kappa']}")
        return 0
    run_label(folder, _executor(args)).print(sys.stdout)
    print(f"  sheet: {folder.sheet_csv} and {folder.sheet_xlsx}")
    return 0


def _cmd_stats(args) -> int:
    from .runner import run_stats

    result = run_stats(args.labels, Path(args.out) if args.out else None)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        for key, value in result.items():
            print(f"{key}: {json.dumps(value, default=str) if isinstance(value, (dict, list)) else value}")
    return 0


def _cmd_figures(args) -> int:
    from .runner import run_figures

    out_dir = Path(args.out) if args.out else _folder(args.labels).figures
    for path in run_figures(args.labels, out_dir):
        print(path)
    return 0


def _cmd_report(args) -> int:
    from .runner import run_report

    for path in run_report(_folder(args.study)):
        print(path)
    return 0


def _cmd_run(args) -> int:
    from .runner import run_all

    return run_all(_folder(args.study), _sources(args), _executor(args), args.seed, args.p,
                   _min_cluster(args.min_cluster), args.reviewed)


def _guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Missing inputs and bad values become a message and an exit code, not a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except FileNotFoundError as exc:
            print(f"nbcrash study: {exc}", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"nbcrash study: {exc}", file=sys.stderr)
            return 2
    run.__doc__ = func.__doc__
    return run


def _scale_options(parser: argparse.ArgumentParser, dask: bool = True) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=1, help="local worker processes")
    if dask:
        parser.add_argument("--dask", metavar="ADDRESS", help="run on dask.distributed: a scheduler address or 'local'")


def _sampling_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--p", type=float, default=None, help="expected proportion (default 0.5 or from --pilot)")
    parser.add_argument("--min-cluster", action="append", metavar="PLATFORM=K",
                        help="stratum threshold per platform (default github=100, kaggle=10)")


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="folder, .zip/.tar archive, Stack-style .parquet or .ipynb; prefix PLATFORM= (github, kaggle, other)")
    parser.add_argument("--platform", default="other", choices=("github", "kaggle", "other"),
                        help="platform of sources without a prefix")


def add_study_parser(subparsers) -> None:
    """Register ``study`` and its subcommands on the top-level ``nbcrash`` subparsers."""
    study = subparsers.add_parser("study", help="the empirical study's pipeline on your corpus",
                                  description="Reproduce 'Why do Machine Learning Notebooks Crash?' on a corpus.")
    steps = study.add_subparsers(dest="study_command", metavar="STEP", required=True)

    def step(name: str, func, help_text: str, folder: bool = True) -> argparse.ArgumentParser:
        parser = steps.add_parser(name, help=help_text, description=help_text)
        if folder:
            parser.add_argument("study", metavar="STUDY_DIR", help="the study folder (Parquet tables, reports)")
        parser.set_defaults(func=_guarded(func))
        return parser

    ingest = step("ingest", _cmd_ingest, "read notebooks into STUDY_DIR/notebooks.parquet")
    _source_options(ingest)
    _scale_options(ingest)
    _scale_options(step("filter", _cmd_filter, "Python, crashing, parsing ML notebooks -> crashes.parquet"))
    _scale_options(step("cluster", _cmd_cluster, "cluster error values (Jaccard >= 0.7) -> clusters.parquet"))
    _sampling_options(step("sample", _cmd_sample, "stratified sample to label -> sample.parquet"))
    steps.choices["sample"].add_argument("--pilot", help="pilot labels (CSV/XLSX/Parquet) giving p")
    label = step("label", _cmd_label, "automatic labels, labelling sheet; --import reviewed sheets")
    label.add_argument("--import", dest="import_sheets", nargs="+", metavar="SHEET",
                       help="reviewed sheets (CSV/XLSX) to import as human labels")
    _scale_options(label)
    stats = step("stats", _cmd_stats, "the study's statistical tests on a labelled table", folder=False)
    stats.add_argument("labels", metavar="LABELS", help="labels file (CSV/XLSX/Parquet) or a study folder")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--out", help="also write the JSON to this file")
    figures = step("figures", _cmd_figures, "the study's figures (PNG and SVG)", folder=False)
    figures.add_argument("labels", metavar="LABELS", help="labels file or a study folder")
    figures.add_argument("--out", help="output folder (default LABELS/figures for a study folder)")
    step("report", _cmd_report, "stats, figures and the HTML and Markdown reports")
    run = step("run", _cmd_run, "every step: ingest to report")
    _source_options(run)
    _sampling_options(run)
    _scale_options(run)
    run.add_argument("--reviewed", nargs="+", metavar="SHEET", help="reviewed sheets to import before the report")


def main(argv: list[str] | None = None) -> int:
    """``python -m nbcrash_kernel.study.cli study ...`` without the top-level CLI."""
    parser = argparse.ArgumentParser(prog="nbcrash")
    add_study_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
