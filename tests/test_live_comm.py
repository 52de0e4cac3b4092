"""The kernel side of the ``nbcrash`` comm: the front end's cells feed the live session."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.live.comm import (TARGET, register_comm, snapshot_from_message,
                                      unregister_comm)
from nbcrash_kernel.live.guard import check_cell


class FakeComm:
    def __init__(self):
        self.sent, self.handler, self.closed = [], None, False

    def on_msg(self, handler):
        self.handler = handler

    def send(self, data):
        self.sent.append(data)

    def close(self):
        self.closed = True


class FakeManager:
    def __init__(self):
        self.targets = {}

    def register_target(self, name, handler):
        self.targets[name] = handler


@pytest.fixture()
def extension():
    from IPython.core.interactiveshell import InteractiveShell

    from nbcrash_kernel.live.extension import NbcrashExtension

    shell = InteractiveShell.instance()
    ext = NbcrashExtension(shell)
    ext.config.background_analysis = False
    manager = FakeManager()
    shell.kernel = SimpleNamespace(comm_manager=manager)
    try:
        yield ext, manager
    finally:
        del shell.kernel


def cells_message(*cells, path="work/analysis.ipynb"):
    return {"type": "cells", "path": path,
            "cells": [{"id": i, "cell_type": t, "source": s} for i, t, s in cells]}


def open_comm(manager, data):
    comm = FakeComm()
    manager.targets[TARGET](comm, {"content": {"data": data}})
    return comm


def test_open_message_cells_become_the_sessions_notebook(extension):
    ext, manager = extension
    assert register_comm(ext) is True
    comm = open_comm(manager, cells_message(("title", "markdown", "# Demo"),
                                            ("split", "code", "X_train = [1, 2]"),
                                            ("fit", "code", "model = sum(X_train)")))
    assert comm.sent == [{"type": "ack", "cells": 3}]
    snapshot = ext.session.snapshot
    assert [c.cell_id for c in snapshot.cells] == ["title", "split", "fit"]
    assert ext.session.cell_index("fit") == 2
    # The guard now knows an unsaved, never-run cell defines X_train.
    warning = check_cell("model = sum(X_train)", {}, ext.session, "fit")
    assert warning is not None and [c["cell_id"] for c in warning["cells"]] == ["split"]


def test_later_messages_replace_the_cells(extension):
    ext, manager = extension
    register_comm(ext)
    comm = open_comm(manager, cells_message(("a", "code", "x = 1")))
    comm.handler({"content": {"data": cells_message(("a", "code", "y = 1"), ("b", "code", "print(y)"))}})
    assert comm.sent[-1] == {"type": "ack", "cells": 2}
    assert [c.source for c in ext.session.snapshot.cells] == ["y = 1", "print(y)"]


@pytest.mark.parametrize("data", [None, "cells", {"type": "other"}, {"type": "cells", "cells": "x"},
                                  {"type": "cells", "cells": [{"id": 3, "source": "x"}]},
                                  {"type": "cells", "cells": [{"id": "a", "source": None}]}])
def test_malformed_messages_get_an_error_reply_and_change_nothing(extension, data):
    ext, manager = extension
    register_comm(ext)
    comm = open_comm(manager, data)
    assert comm.sent[-1]["type"] == "error"
    assert ext.session.snapshot is None
    assert not ext.internal_errors


def test_no_kernel_means_no_comm_and_unregister_closes(extension):
    ext, manager = extension
    register_comm(ext)
    comm = open_comm(manager, cells_message(("a", "code", "x = 1")))
    unregister_comm(ext)
    assert TARGET not in manager.targets and comm.closed
    del ext.shell.kernel
    assert register_comm(ext) is False
    ext.shell.kernel = SimpleNamespace(comm_manager=manager)


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["type", "cells", "id", "source", "cell_type", "path"]),
                                      children, max_size=5),
                    max_leaves=20))
def test_snapshot_from_message_never_raises(data):
    snapshot = snapshot_from_message(data, Path("x.ipynb"), 0.0)
    assert snapshot is None or all(isinstance(c.source, str) for c in snapshot.cells)
