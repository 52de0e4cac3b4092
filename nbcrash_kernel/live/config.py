"""Options of the live extension, as a traitlets ``Configurable``.

Set them in ``ipython_config.py`` (``c.NbcrashConfig.guard = "block"``), on the
command line (``--NbcrashConfig.guard=off``) or with ``%config NbcrashConfig.guard = 'off'``.
"""
from __future__ import annotations

from traitlets import Bool, CaselessStrEnum, Int, Unicode
from traitlets.config import Configurable

from ..knowledge.messages import MESSAGE_LIMIT

GUARD_MODES = ("off", "warn", "block")


class NbcrashConfig(Configurable):
    """What the nbcrash extension does, and how much work it may spend per cell."""

    enabled = Bool(True, help="Diagnose crashes and check cells before they run.").tag(config=True)
    guard = CaselessStrEnum(
        GUARD_MODES, default_value="warn",
        help="Before a cell runs: 'warn' when it reads a name only an unrun or failed cell "
             "defines, 'block' to stop the cell instead, 'off' to skip the check.",
    ).tag(config=True)
    show_card = Bool(True, help="Display the crash card under the traceback.").tag(config=True)
    enrich = Bool(True, help="Add live values (shapes, columns, versions...) to the card.").tag(config=True)
    max_namespace_scan = Int(
        20_000, help="Above this many names, the namespace diff only looks at names the cell mentions.",
    ).tag(config=True)
    max_history = Int(10_000, help="Executions kept in the session history.").tag(config=True)
    max_message_chars = Int(MESSAGE_LIMIT, help="Exception messages are cut to this length.").tag(config=True)
    preload = Bool(
        True, help="Import the classifier in a background thread at load, so the first card is fast.",
    ).tag(config=True)
    background_analysis = Bool(
        True, help="Analyse the notebook's cells in a background thread when the file changes, "
                   "so the first card on a long notebook does not wait for it.",
    ).tag(config=True)
    notebook_path = Unicode(
        "", help="The notebook file to read cells from (default: JPY_SESSION_NAME or VS Code's).",
    ).tag(config=True)
    find_notebook = Bool(
        True, help="When no notebook is named (nbclient, papermill), take the one notebook of the "
                   "working folder whose code cells hold the cells that ran.",
    ).tag(config=True)
