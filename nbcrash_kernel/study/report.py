"""Step 7b, report: one HTML and one Markdown document with the funnel, tables, figures and tests.

Everything taken from the data is escaped in the HTML (notebook paths, error values, codes).
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..record.taxonomy import describe
from .figures import FIGURE_NAMES
from .stats import contingency
from .stepreport import load_report

STEPS = ("ingest", "filter", "cluster", "sample", "label", "label-import")
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)[:300]
    return "" if value is None else str(value)


def _sections(folder, labels: pd.DataFrame | None, stats: dict[str, Any] | None) -> list[tuple[str, list]]:
    """Sections as (title, blocks); a block is ('table', header, rows), ('text', s) or ('figure', name)."""
    sections: list[tuple[str, list]] = []
    funnel = []
    for step in STEPS:
        data = load_report(folder.step_report(step))
        if data:
            funnel += [[step, c["stage"], c["unit"], c["kept"], c["dropped"]] for c in data["counts"]]
            if data.get("n_bad_inputs"):
                funnel.append([step, "bad inputs (listed in the step report)", "inputs", "", data["n_bad_inputs"]])
    if funnel:
        sections.append(("Pipeline", [("table", ["step", "stage", "unit", "kept", "dropped"], funnel)]))
    agreement = (load_report(folder.step_report("label-import")) or {}).get("notes", {}).get("agreement")
    if agreement:
        rows = [[dim, v["n"], _fmt(v["accuracy"]), _fmt(v["cohen_kappa"])] for dim, v in agreement.items()]
        sections.append(("Agreement of automatic and human labels",
                         [("table", ["dimension", "n", "accuracy", "Cohen's kappa"], rows)]))
    if labels is not None and not labels.empty:
        blocks: list = []
        for dim in DIMENSIONS:
            table = contingency(labels.astype(str), dim, "platform")
            rows = [[code, describe(dim, code), *map(int, table.loc[code])] for code in table.index]
            blocks += [("text", dim.replace("_", " ")), ("table", ["code", "meaning", *table.columns], rows)]
        sections.append(("Labelled crashes by platform", blocks))
    if stats:
        rows = [[k, _fmt(v)] for k, v in stats.items() if k != "barnard_exception_type_x_root_cause"]
        sections.append(("Statistical tests", [("table", ["test", "p-value / result"], rows)]))
    figures = [("figure", name) for name in FIGURE_NAMES if (folder.figures / f"{name}.png").exists()]
    if figures:
        sections.append(("Figures", figures))
    return sections


def render_markdown(sections: list[tuple[str, list]], title: str) -> str:
    def cell(v: Any) -> str:
        return _fmt(v).replace("|", "\\|").replace("\n", " ")

    out = [f"# {title}", ""]
    for heading, blocks in sections:
        out += [f"## {heading}", ""]
        for block in blocks:
            if block[0] == "table":
                out.append("| " + " | ".join(map(cell, block[1])) + " |")
                out.append("|" + "---|" * len(block[1]))
                out += ["| " + " | ".join(map(cell, row)) + " |" for row in block[2]]
            elif block[0] == "text":
                out.append(f"**{cell(block[1])}**")
            else:
                out.append(f"![{block[1]}](figures/{block[1]}.svg)")
            out.append("")
    return "\n".join(out)


def render_html(sections: list[tuple[str, list]], title: str) -> str:
    e = lambda v: html.escape(_fmt(v), quote=True)  # noqa: E731
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{e(title)}</title>",
           "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
           "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 6px}"
           "img{max-width:100%}</style></head><body>", f"<h1>{e(title)}</h1>"]
    for heading, blocks in sections:
        out.append(f"<h2>{e(heading)}</h2>")
        for block in blocks:
            if block[0] == "table":
                out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in block[1]) + "</tr>")
                out += ["<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in block[2]]
                out.append("</table>")
            elif block[0] == "text":
                out.append(f"<h3>{e(block[1])}</h3>")
            else:
                out.append(f'<figure><img src="figures/{e(block[1])}.svg" alt="{e(block[1])}">'
                           f"<figcaption>{e(block[1])}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out)


def write_reports(folder, labels: pd.DataFrame | None, stats: dict[str, Any] | None,
                  title: str = "nbcrash study report") -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.md`` in the study folder; their paths."""
    sections = _sections(folder, labels, stats)
    html_path, md_path = folder.root / "report.html", folder.root / "report.md"
    html_path.write_text(render_html(sections, title), encoding="utf-8")
    md_path.write_text(render_markdown(sections, title), encoding="utf-8")
    return html_path, md_path
