"""The extension in an in-process shell: it leaves other handlers alone, and its records stay bounded."""
from __future__ import annotations

import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from nbcrash_kernel.live.extension import active_extension
from nbcrash_kernel.live.record_budget import MAX_RECORD_BYTES, fit_record


@pytest.fixture
def shell():
    ip = InteractiveShell.instance()
    yield ip
    if active_extension(ip) is not None:
        ip.run_line_magic("unload_ext", "nbcrash")
    ip.set_custom_exc((), None)


def test_nbcrash_installs_no_exception_handler_and_unload_keeps_a_later_one(shell):
    shell.set_custom_exc((), None)
    shell.run_line_magic("load_ext", "nbcrash")
    assert shell.custom_exceptions == ()

    def theirs(self, etype, value, tb, tb_offset=None):
        return ["theirs"]

    shell.set_custom_exc((ValueError,), theirs)
    shell.run_line_magic("unload_ext", "nbcrash")
    assert shell.custom_exceptions == (ValueError,)
    assert shell.CustomTB(ValueError, ValueError("x"), None) == ["theirs"]


def test_a_card_is_recorded_when_the_user_broke_traceback(shell, monkeypatch):
    shell.run_line_magic("load_ext", "nbcrash")
    extension = active_extension(shell)
    import traceback

    monkeypatch.setattr(traceback, "format_exception", None)
    extension.note_error("test", ValueError("x"))   # must not raise
    assert "could not be formatted" in extension.internal_errors[-1]["traceback"]


def test_records_are_cleaned_and_cut_to_64_kb():
    record = {"ename": "ValueError", "evalue": "\ud800" + "x" * 300_000, "summary": "\x1b[31ms",
              "evidence": ["y" * 10_000] * 100, "extra": {"nested": [["z" * 5000] * 50] * 5}}
    fitted = fit_record(record)
    encoded = json.dumps(fitted, ensure_ascii=False).encode("utf-8")   # encodable: no lone surrogate
    assert len(encoded) <= MAX_RECORD_BYTES and fitted["truncated"] is True
    assert fitted["evalue"].startswith("\\ud800") and fitted["summary"] == "s"
    small = {"ename": "E", "evalue": "fine"}
    assert fit_record(small) == small


def test_a_shell_without_a_kernel_is_its_whole_session(shell):
    """A terminal IPython has no notebook: what ran is all the code, so "defined nowhere" holds there."""
    shell.run_line_magic("load_ext", "nbcrash")
    extension = active_extension(shell)
    assert extension.session.whole_session and extension.session.graph.knows_all_cells
    assert extension._what_ran(None) == []  # and no notebook is looked for
