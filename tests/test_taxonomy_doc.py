"""docs/taxonomy.md, the codebook in the repository, agrees with taxonomy.py and with the shared contract."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbcrash_kernel.record.taxonomy import (EXCEPTION_TYPE_DETAILS, EXCEPTION_TYPES, ORIGINS, ROOT_CAUSE_DETAILS, ROOT_CAUSES,
                                     STAGES, STUDY_LIBRARIES)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "taxonomy.md"
SHARED = ROOT.parent / "shared" / "taxonomy.md"


def _section(text: str, number: int) -> str:
    return re.split(r"^## ", text, flags=re.M)[number]


def _rows(section: str) -> dict[str, list[str]]:
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and cells[0] not in ("code", "---") and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("number,codes", [(1, EXCEPTION_TYPES), (2, ROOT_CAUSES), (3, ORIGINS), (4, STAGES)])
def test_each_table_lists_exactly_the_codes_of_taxonomy_py(doc, number, codes):
    assert list(_rows(_section(doc, number))) == list(codes)


@pytest.mark.parametrize("number,details", [(1, EXCEPTION_TYPE_DETAILS), (2, ROOT_CAUSE_DETAILS)])
def test_fine_labels_match_the_constants(doc, number, details):
    rows = _rows(_section(doc, number))
    for code, labels in details.items():
        assert [label.strip() for label in rows[code][-1].split(";")] == list(labels), code


def test_the_study_libraries_are_the_ones_listed(doc):
    listed = re.search(r"The 24 libraries of the study: (.*?)\. Others", doc, re.S).group(1)
    assert [name.strip() for name in listed.replace("\n", " ").split(",")] == list(STUDY_LIBRARIES)


@pytest.mark.skipif(not SHARED.exists(), reason="no shared taxonomy.md beside the repository")
def test_docs_copy_matches_the_shared_contract(doc):
    assert doc == SHARED.read_text(encoding="utf-8"), "docs/taxonomy.md and ../shared/taxonomy.md differ"
