"""The advice on real cards: every case of tests/advice_cases.py run in a real kernel with %load_ext nbcrash.

Cases are batched in a few kernels (the namespace is reset between cases) to stay
fast; each card must carry the expected suggestion, a concrete fix, no forbidden
claim, a one-sentence summary, and never tell to pip-install a stdlib or importable module.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from advice_cases import CASES, Case  # noqa: E402

from nbcrash_kernel.live.driver import KernelDriver  # noqa: E402

pytestmark = pytest.mark.slow
BATCH = 64
_INSTALL = re.compile(r"pip install ([\w.\-]+)")
LATENCIES: list[float] = []   # error output -> card at the client, seconds


def _run_batch(cases: list[Case], workdir: Path) -> dict[str, dict | None]:
    cards: dict[str, dict | None] = {}
    driver = KernelDriver(nbcrash=False, cwd=workdir)
    try:
        assert driver.run("%load_ext nbcrash").status == "ok"
        for case in cases:
            driver.run("%reset -f")
            if case.setup:
                driver.run(case.setup)
            run = driver.run(case.code, cell_id=case.id)
            cards[case.id] = run.crashes[-1] if run.crashes else None
            if run.card_at is not None and run.error_at is not None:
                LATENCIES.append(run.card_at - run.error_at)
    finally:
        driver.shutdown()
    return cards


@pytest.fixture(scope="module")
def cards(tmp_path_factory) -> dict[str, dict | None]:
    workdir = tmp_path_factory.mktemp("advice")
    found: dict[str, dict | None] = {}
    for start in range(0, len(CASES), BATCH):
        found.update(_run_batch(CASES[start:start + BATCH], workdir))
    return found


def fixes_of(card: dict) -> str:
    return "\n".join(card.get("suggestions") or [])


def wrong_installs(card: dict) -> list[str]:
    """Install lines for a module of the standard library or one importable here."""
    from nbcrash_kernel.knowledge.modules import PIP_NAMES

    wrong = []
    for package in _INSTALL.findall(fixes_of(card)):
        modules = [m for m, p in PIP_NAMES.items() if p == package] or [package, package.replace("-", "_")]
        for module in modules:
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or importlib.util.find_spec(top) is not None:
                wrong.append(package)
    return wrong


def wrong_claims(case: Case, card: dict) -> list[str]:
    text = fixes_of(card) + "\n" + (card.get("summary") or "")
    return [f for f in case.forbid if f in text] + [f"install {p}" for p in wrong_installs(card)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_card_carries_the_expected_suggestion(cards, case):
    card = cards[case.id]
    assert card is not None, f"no card for {case.id}"
    text = fixes_of(card)
    assert any(e in text for e in case.expected), f"{case.expected} not in:\n{text}"
    assert card["suggestions"], "a card without a fix"
    assert not wrong_claims(case, card)
    summary = card.get("summary") or ""
    assert summary and "\n" not in summary and len(summary) <= 240


def test_rates(cards, capsys):
    """Hit rate and detectable wrong claims over all cases (printed for the report)."""
    hits = sum(any(e in fixes_of(cards[c.id] or {}) for e in c.expected) for c in CASES)
    wrong = sum(bool(cards[c.id] and wrong_claims(c, cards[c.id])) for c in CASES)
    with_fix = sum(bool(cards[c.id] and cards[c.id].get("suggestions")) for c in CASES)
    with capsys.disabled():
        print(f"\nadvice cases: {len(CASES)}; expected suggestion present {hits} ({hits / len(CASES):.1%}); "
              f"cards with a detectable wrong claim {wrong} ({wrong / len(CASES):.1%}); "
              f"cards with a fix {with_fix} ({with_fix / len(CASES):.1%})")
        if LATENCIES:
            ordered = sorted(LATENCIES)
            print(f"card latency (error output -> card): median {ordered[len(ordered) // 2] * 1e3:.0f} ms, "
                  f"90th percentile {ordered[int(len(ordered) * 0.9)] * 1e3:.0f} ms, max {ordered[-1] * 1e3:.0f} ms")
    assert hits / len(CASES) >= 0.95 and wrong == 0 and with_fix == len(CASES)
