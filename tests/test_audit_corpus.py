"""The whole shared corpus of real notebooks audits with no internal error, every crash diagnosed."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nbcrash_kernel.record import taxonomy
from nbcrash_kernel.audit.runner import audit_paths

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here"),
]


@pytest.fixture(scope="module")
def audit():
    return audit_paths([str(CORPUS)], jobs=2, progress=False)


def _manifest():
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def test_every_notebook_is_audited_without_error(audit):
    manifest = _manifest()
    assert len(audit.reports) == len(manifest)
    assert [r.error for r in audit.reports if r.error] == []
    audited = {Path(r.path).relative_to(CORPUS).as_posix() for r in audit.reports}
    assert audited == set(manifest)


def test_every_error_output_is_diagnosed_with_valid_codes(audit):
    manifest = _manifest()
    for report in audit.reports:
        row = manifest[Path(report.path).relative_to(CORPUS).as_posix()]
        assert len(report.crashes) == int(row["n_error_outputs"]), report.path
        for crash in report.crashes:
            assert "internal_error" not in crash, (report.path, crash.get("internal_error"))
            assert isinstance(crash["cell_index"], int)
            if crash["ename"] == "KeyboardInterrupt":
                continue
            assert crash["exception_type"] in taxonomy.EXCEPTION_TYPES
            assert crash["root_cause"] in taxonomy.ROOT_CAUSES
            assert crash["origin"] in taxonomy.ORIGINS
            assert crash["stage"] in taxonomy.STAGES
            assert crash["summary"]


def test_findings_name_real_cells(audit):
    for report in audit.reports:
        for finding in report.findings:
            assert finding["cells"], finding
            for cell in finding["cells"]:
                assert 0 <= cell["index"] < report.cells
