"""``%nbcrash``: status, the last card, history, a report by category, export, on/off, guard, notebook."""
from __future__ import annotations

import json
import shlex
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from IPython.core.magic import Magics, line_magic, magics_class

from ..facts.cell_names import cell_name

if TYPE_CHECKING:
    from .extension import NbcrashExtension

USAGE = """%nbcrash                 status and nbcrash's last internal error
%nbcrash last            the last crash card again
%nbcrash why             the rules behind the last diagnosis, and why each decided
%nbcrash history [N]     the last N executions (default 20)
%nbcrash report          this session's crashes by category
%nbcrash export FILE     the session's diagnoses as JSON lines
%nbcrash on | off        diagnose crashes and check cells, or not
%nbcrash guard off|warn|block
%nbcrash notebook PATH   read the notebook's cells from PATH"""


@magics_class
class NbcrashMagics(Magics):
    """The ``%nbcrash`` line magic."""

    def __init__(self, shell: Any, extension: "NbcrashExtension") -> None:
        super().__init__(shell)
        self.extension = extension

    @line_magic
    def nbcrash(self, line: str = "") -> None:
        """Control nbcrash and look at the session's crashes (``%nbcrash help``)."""
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        command, args = (words[0].lower(), words[1:]) if words else ("status", [])
        handler = getattr(self, f"_cmd_{command}", None)
        if handler is None:
            print(USAGE)
            return
        handler(args)

    # ---- commands -----------------------------------------------------------------

    def _cmd_status(self, args: list[str]) -> None:
        print(status_text(self.extension))

    def _cmd_help(self, args: list[str]) -> None:
        print(USAGE)

    def _cmd_last(self, args: list[str]) -> None:
        crashes = self.extension.session.crashes
        if not crashes:
            print("nbcrash: no crash in this session yet.")
            return
        from .display import crash_bundle, show

        show(crash_bundle(crashes[-1]))

    def _cmd_why(self, args: list[str]) -> None:
        crashes = self.extension.session.crashes
        if not crashes:
            print("nbcrash: no crash in this session yet.")
            return
        from ..classifier.rule_docs import explain_records

        print(explain_records([crashes[-1]]).rstrip())

    def _cmd_history(self, args: list[str]) -> None:
        limit = int(args[0]) if args and args[0].isdigit() else 20
        print(history_text(self.extension, limit))

    def _cmd_report(self, args: list[str]) -> None:
        from .display import show

        show(report_bundle(self.extension.session.crashes))

    def _cmd_export(self, args: list[str]) -> None:
        if not args:
            print("usage: %nbcrash export FILE")
            return
        crashes = self.extension.session.crashes
        with open(args[0], "w", encoding="utf-8") as handle:
            for record in crashes:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"nbcrash: wrote {len(crashes)} diagnoses to {args[0]}")

    def _cmd_on(self, args: list[str]) -> None:
        self.extension.config.enabled = True
        print("nbcrash: on")

    def _cmd_off(self, args: list[str]) -> None:
        self.extension.config.enabled = False
        print("nbcrash: off (executions are still recorded; %nbcrash on to resume)")

    def _cmd_guard(self, args: list[str]) -> None:
        if args:
            try:
                self.extension.config.guard = args[0].lower()
            except Exception:  # noqa: BLE001 - traitlets says which values are allowed
                print("usage: %nbcrash guard off|warn|block")
                return
        print(f"nbcrash guard: {self.extension.config.guard}")

    def _cmd_notebook(self, args: list[str]) -> None:
        ext = self.extension
        if args:
            ext.watcher.explicit = args[0]
            if ext.watcher.refresh(self.shell.user_ns):
                ext.use_notebook()
        snapshot = ext.watcher.snapshot
        if snapshot is None:
            print(f"nbcrash: no notebook file found{' at ' + args[0] if args else ''}")
        else:
            print(f"nbcrash: notebook {snapshot.path} ({len(snapshot.cells)} cells)")


def _notebook_line(ext: "NbcrashExtension") -> str:
    snapshot = ext.watcher.snapshot
    if snapshot is None:
        return "not found (set JPY_SESSION_NAME or %nbcrash notebook PATH); only the cells that ran are known"
    if ext.watcher.found_by_what_ran:
        return f"{snapshot.path} (not named; the one notebook here that holds the cells that ran)"
    return str(snapshot.path)


def status_text(ext: "NbcrashExtension") -> str:
    """The status lines: on/off, guard, notebook, counts, last internal error."""
    lines = [
        f"nbcrash: {'on' if ext.config.enabled else 'off'}; guard: {ext.config.guard}",
        f"notebook: {_notebook_line(ext)}",
        f"executions: {len(ext.session.executions)}; crashes: {len(ext.session.crashes)}; "
        f"warnings: {len(ext.session.warnings)}",
    ]
    if ext.internal_errors:
        last = ext.internal_errors[-1]
        when = time.strftime("%H:%M:%S", time.localtime(last["time"]))
        lines.append(f"last internal error ({last['where']}, {when}):\n{last['traceback']}")
    else:
        lines.append("no internal error")
    return "\n".join(lines)


def history_text(ext: "NbcrashExtension", limit: int) -> str:
    """The last ``limit`` executions, one per line."""
    rows = list(ext.session.executions)[-limit:]
    if not rows:
        return "nbcrash: no execution recorded yet."
    lines = []
    for r in rows:
        outcome = r.status if r.status != "error" else f"error {r.ename}"
        index = ext.session.cell_index(r.cell_id)
        where = cell_name(index) if index is not None else r.cell_id  # the cell's place: cell #5
        bound = ", ".join(sorted(r.defined)[:6]) + (" …" if len(r.defined) > 6 else "")
        lines.append(f"{cell_name(None, r.execution_count):<8} {where:<18} {outcome:<24} {bound}")
    return "\n".join(lines)


def report_rows(crashes: list[dict]) -> list[tuple[str, str, int]]:
    """(root cause, exception type, count) rows, most frequent first."""
    counts = Counter((c.get("root_cause", "UNK"), c.get("exception_type", "OTHER")) for c in crashes)
    return [(root, kind, n) for (root, kind), n in counts.most_common()]


def report_bundle(crashes: list[dict]) -> dict[str, str]:
    """The session's crashes by category, as a text and an HTML table."""
    import html

    from ..record.taxonomy import describe

    rows = report_rows(crashes)
    if not rows:
        return {"text/plain": "nbcrash: no crash in this session yet."}
    header = f"{'root cause':<28} {'exception type':<34} crashes"
    text = [header] + [f"{root + ' ' + describe('root_cause', root):<28.28} "
                       f"{kind + ' ' + describe('exception_type', kind):<34.34} {n}" for root, kind, n in rows]
    cells = "".join(f"<tr><td>{html.escape(root)} ({html.escape(describe('root_cause', root))})</td>"
                    f"<td>{html.escape(kind)} ({html.escape(describe('exception_type', kind))})</td>"
                    f"<td>{n}</td></tr>" for root, kind, n in rows)
    table = ("<table class='nbcrash-report'><thead><tr><th>root cause</th><th>exception type</th>"
             f"<th>crashes</th></tr></thead><tbody>{cells}</tbody></table>")
    return {"text/plain": "\n".join(text), "text/html": table}
