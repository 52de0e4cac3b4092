"""The study pipeline over small synthetic corpora (exact counts), its CLI, Dask, and the real corpus."""
from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nbcrash_kernel.study import cli as study_cli
from nbcrash_kernel.study.filters import filter_notebooks
from nbcrash_kernel.study.folder import StudyFolder
from nbcrash_kernel.study.ingest import Source, ingest, parse_source
from nbcrash_kernel.study.parallel import Executor

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PY_META = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
           "language_info": {"name": "python"}}


def _error(ename: str, evalue: str, last_line: str | None = None):
    tb = ["\x1b[0;31m-----\x1b[0m", f"Cell In[1], line 1", last_line or f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]
    return new_output("error", ename=ename, evalue=evalue, traceback=tb)


def _nb(cells, metadata=PY_META) -> str:
    nb = new_notebook(cells=cells, metadata=dict(metadata))
    return nbformat.writes(nb)


def _code(source: str, *outputs, count: int = 1):
    return new_code_cell(source, outputs=list(outputs), execution_count=count)


def corpus_notebooks() -> dict[str, str]:
    """Notebooks each exercising one stage of the funnel; expected fates in the names."""
    return {
        # kept: 3 error outputs, 1 KeyboardInterrupt dropped, 1 enriched from the traceback
        "kept_ml.ipynb": _nb([
            new_markdown_cell("# Load"),
            _code("import pandas as pd\ndf = pd.DataFrame()", count=1),
            _code("print(x)", _error("NameError", "name 'x' is not defined"), count=2),
            _code("while True: pass", _error("KeyboardInterrupt", ""), count=3),
            _code("%time df.fit()", _error("ValueError", "", "ValueError: bad thing: detail here"), count=4),
        ]),
        # kept through the heuristic: no language metadata
        "no_metadata.ipynb": _nb([_code("import numpy as np\nnp.zeros(3)[5]",
                                        _error("IndexError", "index 5 is out of bounds"))], metadata={}),
        "r_kernel.ipynb": _nb([_code("library(x)", _error("Error", "no package"))],
                              {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}, "language_info": {"name": "R"}}),
        "no_error.ipynb": _nb([_code("import pandas as pd")]),
        # its only crash has an empty value the traceback cannot fill
        "empty_value.ipynb": _nb([_code("import pandas\nraise Exception()", _error("Exception", "", "Exception"))]),
        "syntax.ipynb": _nb([_code("import sklearn\nprint 'py2'"), _code("x", _error("NameError", "name 'x' is not defined"))]),
        "not_ml.ipynb": _nb([_code("import os\nopen('f')", _error("FileNotFoundError", "[Errno 2] No such file or directory: 'f'"))]),
        "broken.ipynb": "{not json",
    }


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    notebooks = corpus_notebooks()
    folder = tmp_path / "gh"
    (folder / "sub").mkdir(parents=True)
    for name, text in notebooks.items():
        (folder / "sub" / name).write_text(text, encoding="utf-8")
    archive = tmp_path / "kg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/kept_ml.ipynb", notebooks["kept_ml.ipynb"])
        zf.writestr("a/latin1.ipynb", b"\xff\xfe\xfa not utf-8")
        zf.writestr("a/readme.txt", "ignored: not a notebook")
    tar = tmp_path / "other.tar.gz"
    with tarfile.open(tar, "w:gz") as tf:
        data = notebooks["no_metadata.ipynb"].encode()
        info = tarfile.TarInfo("x/no_metadata.ipynb")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    stack = tmp_path / "stack.parquet"
    pd.DataFrame({"content": [notebooks["kept_ml.ipynb"], None],
                  "max_stars_repo_name": ["o/r", "o/r2"],
                  "max_stars_repo_path": ["k.ipynb", "none.ipynb"]}).to_parquet(stack)
    return {"folder": folder, "zip": archive, "tar": tar, "stack": stack}


def _sources(c):
    return [Source(str(c["folder"]), "github"), Source(str(c["zip"]), "kaggle"),
            Source(str(c["tar"]), "other"), Source(str(c["stack"]), "github")]


def _counts(report) -> dict[str, tuple[int, int]]:
    return {c.stage: (c.kept, c.dropped) for c in report.counts}


def test_parse_source_platform_prefix():
    assert parse_source("kaggle=/d") == Source("/d", "kaggle")
    assert parse_source("/a=b", "github") == Source("/a=b", "github")


def test_ingest_reads_every_kind_and_lists_bad_members(corpus):
    table, report = ingest(_sources(corpus) + [Source("/does/not/exist", "github")])
    assert len(table) == 8 + 1 + 1 + 1
    assert table.groupby("platform").size().to_dict() == {"github": 9, "kaggle": 1, "other": 1}
    bad = {b.where for b in report.bad_inputs}
    assert any("latin1.ipynb" in w for w in bad) and any("#row1" in w for w in bad)
    assert "/does/not/exist" in bad and len(bad) == 3
    assert table.loc[table.source == str(corpus["stack"]), "repository"].tolist() == ["o/r"]


def test_filter_funnel_exact_counts(corpus):
    notebooks, _ = ingest([Source(str(corpus["folder"]), "github")])
    crashes, report = filter_notebooks(notebooks)
    counts = _counts(report)
    assert counts["readable notebooks"] == (7, 1)
    assert counts["Python notebooks"] == (6, 1)
    assert counts["notebooks with an error output"] == (5, 1)
    assert counts["error outputs in those notebooks"] == (7, 0)
    assert counts["KeyboardInterrupt dropped"] == (6, 1)
    assert counts["empty error values (after enrichment) dropped"] == (5, 1)
    assert counts["notebooks with crashes left"] == (4, 1)
    assert counts["notebooks whose code parses"] == (3, 1)
    assert counts["ML notebooks (study libraries imported)"] == (2, 1)
    assert counts["crashes kept"] == (3, 4)
    assert report.notes["error_values_enriched_from_traceback"] == 1
    assert sorted(crashes["evalue"]) == ["bad thing", "index 5 is out of bounds", "name 'x' is not defined"]
    assert len(report.bad_inputs) == 1 and "broken.ipynb" in report.bad_inputs[0].where
    assert crashes["crash_id"].is_unique


def _parser():
    import argparse

    parser = argparse.ArgumentParser(prog="nbcrash")
    study_cli.add_study_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


def test_cli_steps_are_idempotent_and_print_counts(corpus, tmp_path, capsys):
    study = tmp_path / "study"
    sources = [f"github={corpus['folder']}", f"kaggle={corpus['zip']}"]
    assert _run(["study", "ingest", str(study), *sources]) == 0
    assert _run(["study", "filter", str(study)]) == 0
    assert _run(["study", "cluster", str(study)]) == 0
    assert _run(["study", "sample", str(study), "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "[filter]" in out and "crashes kept: kept 5 crashes" in out
    first = {p.name: pd.read_parquet(p) for p in study.glob("*.parquet")}
    assert _run(["study", "ingest", str(study), *sources]) == 0
    assert _run(["study", "filter", str(study)]) == 0
    assert _run(["study", "cluster", str(study)]) == 0
    assert _run(["study", "sample", str(study), "--seed", "1"]) == 0
    for name, table in first.items():
        pd.testing.assert_frame_equal(table, pd.read_parquet(study / name))
    clusters = first["clusters.parquet"]
    same = clusters[clusters.evalue == "name 'x' is not defined"]
    assert len(same) == 2 and same["cluster"].nunique() == 1


def test_cli_missing_input_is_an_exit_code(tmp_path, capsys):
    assert _run(["study", "filter", str(tmp_path / "nothing")]) == 1
    assert "run the step" in capsys.readouterr().err


def _study_labels(path: Path) -> Path:
    counts = json.loads((CORPUS.parent / "data" / "study_v2_counts.json").read_text())["counts"]
    from test_study_stats import _expand_joint

    _expand_joint(counts).to_csv(path, index=False)
    return path


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS.parent / "data" / "study_v2_counts.json").exists(), reason="no shared data")
def test_cli_stats_json_keys_and_figures_report(tmp_path, capsys):
    labels = _study_labels(tmp_path / "labels.csv")
    assert _run(["study", "stats", str(labels), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("chi2_root_cause_github_vs_kaggle", "chi2_stage_github_vs_kaggle", "chi2_origin_github_vs_kaggle",
                "chi2_exception_type_github_vs_kaggle", "chi2_root_cause_ML_vs_PY_combined"):
        assert 0 <= result[key] <= 1
    assert set(result["barnard_origin_github_vs_kaggle_in_stage"]) == {"DATAP", "DATAV", "ENVS", "EVAL", "MCONS", "TRAIN"}
    figures = tmp_path / "fig"
    assert _run(["study", "figures", str(labels), "--out", str(figures)]) == 0
    from nbcrash_kernel.study.figures import FIGURE_NAMES
    for name in FIGURE_NAMES:
        assert (figures / f"{name}.png").stat().st_size > 1000
        assert (figures / f"{name}.svg").read_text().lstrip().startswith("<?xml")


def test_report_escapes_html(tmp_path):
    from nbcrash_kernel.study.report import write_reports
    from nbcrash_kernel.study.stepreport import StepReport

    folder = StudyFolder(tmp_path).ensure()
    report = StepReport("ingest")
    report.count("<script>alert(1)</script>", "notebooks", 1, 0)
    report.save(folder.step_report("ingest"))
    labels = pd.DataFrame({"platform": ["github", "kaggle"] * 3, "exception_type": ["VNF"] * 6,
                           "root_cause": ["NB"] * 6, "origin": ["ML"] * 6, "stage": ["EVAL"] * 6})
    html_path, md_path = write_reports(folder, labels, {"k": "<b>x</b>"})
    html = html_path.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "| VNF | variable not found | 3 | 3 |" in md_path.read_text()


def test_dask_local_cluster_equals_local_run(corpus):
    from nbcrash_kernel.study.cluster import cluster_error_values

    local_nb, _ = ingest(_sources(corpus))
    dask_nb, _ = ingest(_sources(corpus), Executor(dask="local"))
    pd.testing.assert_frame_equal(local_nb, dask_nb)
    local_crashes, local_report = filter_notebooks(local_nb)
    dask_crashes, dask_report = filter_notebooks(local_nb, Executor(dask="local"))
    pd.testing.assert_frame_equal(local_crashes, dask_crashes)
    assert _counts(local_report) == _counts(dask_report)
    values = local_crashes["evalue"].tolist()
    assert cluster_error_values(values).cluster == cluster_error_values(values, Executor(dask="local")).cluster


def test_jobs_equal_single_process(corpus):
    notebooks, _ = ingest(_sources(corpus))
    one, _ = filter_notebooks(notebooks)
    two, _ = filter_notebooks(notebooks, Executor(jobs=2))
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_run_over_real_corpus(tmp_path, capsys):
    study = tmp_path / "study"
    code = _run(["study", "run", str(study), f"github={CORPUS / 'github'}", f"github={CORPUS / 'paper_sample' / 'github'}",
                 f"kaggle={CORPUS / 'paper_sample' / 'kaggle'}", "--jobs", "2"])
    assert code == 0
    notebooks = pd.read_parquet(study / "notebooks.parquet")
    manifest = pd.read_csv(CORPUS / "manifest.csv")
    assert len(notebooks) == len(manifest)
    report = json.loads((study / "filter.report.json").read_text())
    first = report["counts"][0]
    assert first["kept"] + first["dropped"] == len(manifest)
    crashes = pd.read_parquet(study / "crashes.parquet")
    assert 0 < len(crashes) <= manifest["n_error_outputs"].sum()
    assert (crashes["ename"] != "KeyboardInterrupt").all() and (crashes["evalue"].str.strip() != "").all()
    labels = pd.read_parquet(study / "labels_auto.parquet")
    assert set(labels["crash_id"]) == set(crashes["crash_id"])
    sheet = pd.read_csv(study / "labelling_sheet.csv")
    assert len(sheet) == len(pd.read_parquet(study / "sample.parquet"))
    assert (study / "report.html").exists() and (study / "report.md").exists()


def test_top_level_cli_dispatches_study(tmp_path, capsys):
    cli = pytest.importorskip("nbcrash_kernel.cli")
    assert cli.main(["study", "filter", str(tmp_path / "none")]) == 1
    assert "run the step" in capsys.readouterr().err
