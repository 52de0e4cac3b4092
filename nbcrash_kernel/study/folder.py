"""The study folder: where every step reads and writes its tables and reports."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class StudyFolder:
    """Paths of the tables, reports, figures and documents of one study run."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks.parquet"

    @property
    def crashes(self) -> Path:
        return self.root / "crashes.parquet"

    @property
    def clusters(self) -> Path:
        return self.root / "clusters.parquet"

    @property
    def sample(self) -> Path:
        return self.root / "sample.parquet"

    @property
    def auto_labels(self) -> Path:
        return self.root / "labels_auto.parquet"

    @property
    def human_labels(self) -> Path:
        return self.root / "labels_human.parquet"

    @property
    def sheet_csv(self) -> Path:
        return self.root / "labelling_sheet.csv"

    @property
    def sheet_xlsx(self) -> Path:
        return self.root / "labelling_sheet.xlsx"

    @property
    def stats(self) -> Path:
        return self.root / "stats.json"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    def step_report(self, step: str) -> Path:
        return self.root / f"{step}.report.json"

    def ensure(self) -> "StudyFolder":
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as Parquet, atomically, so an interrupted step leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    frame.reset_index(drop=True).to_parquet(tmp, index=False)
    tmp.replace(path)


def read_table(path: Path) -> pd.DataFrame:
    """Read a step's Parquet table; a missing table is an error the CLI reports."""
    if not Path(path).exists():
        raise FileNotFoundError(f"{path} does not exist: run the step that writes it first")
    return pd.read_parquet(path)


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=False, default=str) + "\n", encoding="utf-8")
