"""Showing cards and warnings in the cell's output, as one MIME bundle each."""
from __future__ import annotations

from typing import Any, Mapping

CRASH_MIME = "application/vnd.nbcrash.crash+json"
WARNING_MIME = "application/vnd.nbcrash.warning+json"


def crash_bundle(record: Mapping[str, Any]) -> dict[str, Any]:
    """``{crash+json: record, text/html: card, text/plain: card}``."""
    from ..card.render import card_html, card_text

    return {CRASH_MIME: dict(record), "text/html": card_html(record), "text/plain": card_text(record)}


def warning_bundle(warning: Mapping[str, Any]) -> dict[str, Any]:
    """``{warning+json: {kind, names, cells, message}, text/html, text/plain}``."""
    from ..card.render import warning_html, warning_text

    return {WARNING_MIME: dict(warning), "text/html": warning_html(warning), "text/plain": warning_text(warning)}


def show(bundle: dict[str, Any]) -> None:
    """Display a raw MIME bundle in the current cell's output."""
    from IPython.display import display

    display(bundle, raw=True)
