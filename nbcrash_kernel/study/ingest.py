"""Step 1, ingest: notebooks from folders, zip/tar archives and Stack-style Parquet files.

Each source carries a platform label (github, kaggle, other): ``kaggle=/data/kaggle`` on the
command line, or the default platform. Output: ``notebooks.parquet`` with one row a notebook
(``notebook_id``, ``platform``, ``source``, ``path``, ``repository``, ``text``), sorted by id, so
that a rerun on the same inputs writes the same table. Unreadable members are listed, not fatal.
"""
from __future__ import annotations

import hashlib
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .folder import StudyFolder, write_table
from .parallel import Executor, map_items
from .stepreport import StepReport

PLATFORMS = ("github", "kaggle", "other")
TEXT_COLUMNS = ("content", "text", "notebook", "source")
REPOSITORY_COLUMNS = ("max_stars_repo_name", "repository", "repo_name", "repo")
PATH_COLUMNS = ("max_stars_repo_path", "path", "file_path")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
COLUMNS = ["notebook_id", "platform", "source", "path", "repository", "text"]


@dataclass(frozen=True)
class Source:
    """One input: a folder, archive, Parquet file or notebook, with its platform label."""

    location: str
    platform: str = "other"


def parse_source(spec: str, default_platform: str = "other") -> Source:
    """``PATH`` or ``PLATFORM=PATH`` (platform one of github, kaggle, other)."""
    head, sep, tail = spec.partition("=")
    if sep and head.lower() in PLATFORMS:
        return Source(tail, head.lower())
    return Source(spec, default_platform)


def _notebook_id(platform: str, source: str, path: str) -> str:
    return hashlib.sha1(f"{platform}\0{source}\0{path}".encode()).hexdigest()[:16]


def _row(source: Source, path: str, text: str, repository: str = "") -> dict[str, Any]:
    return {"notebook_id": _notebook_id(source.platform, source.location, path), "platform": source.platform,
            "source": source.location, "path": path, "repository": repository, "text": text}


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig")


def _units(source: Source) -> list[tuple[Source, str]]:
    """The independent pieces of work of a source: one a file in a folder, else the source."""
    path = Path(source.location)
    if path.is_dir():
        return [(source, str(p)) for p in sorted(path.rglob("*.ipynb")) if p.is_file()]
    return [(source, str(path))]


def read_unit(unit: tuple[Source, str]) -> dict[str, list]:
    """Rows and bad members of one unit (a notebook file, an archive or a Parquet file)."""
    source, location = unit
    rows: list[dict[str, Any]] = []
    bad: list[tuple[str, str]] = []
    name = location.lower()
    try:
        if name.endswith(".zip"):
            _read_zip(source, location, rows, bad)
        elif name.endswith(TAR_SUFFIXES):
            _read_tar(source, location, rows, bad)
        elif name.endswith(".parquet"):
            _read_parquet(source, location, rows, bad)
        else:
            rows.append(_row(source, _relative(source, location), _decode(Path(location).read_bytes())))
    except Exception as exc:  # an unreadable input is reported, never fatal
        bad.append((location, f"{type(exc).__name__}: {exc}"))
    return {"rows": rows, "bad": bad}


def _relative(source: Source, location: str) -> str:
    root = Path(source.location)
    return str(Path(location).relative_to(root)) if root.is_dir() else Path(location).name


def _read_zip(source: Source, location: str, rows: list, bad: list) -> None:
    with zipfile.ZipFile(location) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not info.filename.lower().endswith(".ipynb"):
                continue
            try:
                rows.append(_row(source, info.filename, _decode(archive.read(info))))
            except Exception as exc:
                bad.append((f"{location}!{info.filename}", f"{type(exc).__name__}: {exc}"))


def _read_tar(source: Source, location: str, rows: list, bad: list) -> None:
    with tarfile.open(location) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not member.name.lower().endswith(".ipynb"):
                continue
            try:
                handle = archive.extractfile(member)
                rows.append(_row(source, member.name, _decode(handle.read())))
            except Exception as exc:
                bad.append((f"{location}!{member.name}", f"{type(exc).__name__}: {exc}"))


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def _read_parquet(source: Source, location: str, rows: list, bad: list) -> None:
    frame = pd.read_parquet(location)
    columns = list(frame.columns)
    text_col = _pick(columns, TEXT_COLUMNS)
    if text_col is None:
        bad.append((location, f"no notebook text column (one of {', '.join(TEXT_COLUMNS)})"))
        return
    repo_col, path_col = _pick(columns, REPOSITORY_COLUMNS), _pick(columns, PATH_COLUMNS)
    for i, record in enumerate(frame.to_dict("records")):
        text = record.get(text_col)
        repository = str(record.get(repo_col) or "") if repo_col else ""
        path = str(record.get(path_col) or "") if path_col else ""
        where = f"{location}#row{i}"
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        if not isinstance(text, str) or not text.strip():
            bad.append((where, "empty or non-text notebook cell"))
            continue
        rows.append(_row(source, f"{repository}/{path}" if repository else (path or where), text, repository))


def ingest(sources: list[Source], executor: Executor | None = None) -> tuple[pd.DataFrame, StepReport]:
    """Read every source; the notebooks table and the step report."""
    report = StepReport("ingest")
    units: list[tuple[Source, str]] = []
    for source in sources:
        if source.platform not in PLATFORMS:
            report.bad(source.location, f"unknown platform {source.platform!r}")
        elif not Path(source.location).exists():
            report.bad(source.location, "does not exist")
        else:
            units.extend(_units(source))
    results = map_items(read_unit, units, executor, desc="ingest")
    rows = [row for r in results for row in r["rows"]]
    for where, reason in (b for r in results for b in r["bad"]):
        report.bad(where, reason)
    table = pd.DataFrame(rows, columns=COLUMNS)
    duplicates = int(table.duplicated("notebook_id").sum())
    table = table.drop_duplicates("notebook_id").sort_values("notebook_id").reset_index(drop=True)
    report.count("notebooks read", "notebooks", len(table), len(report.bad_inputs) + duplicates)
    for platform, n in table["platform"].value_counts().sort_index().items():
        report.notes[f"notebooks_{platform}"] = int(n)
    return table, report


def run_ingest(folder: StudyFolder, sources: list[Source], executor: Executor | None = None) -> StepReport:
    table, report = ingest(sources, executor)
    write_table(table, folder.ensure().notebooks)
    report.save(folder.step_report("ingest"))
    return report
