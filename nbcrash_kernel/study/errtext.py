"""Error values as the study clusters them: the seven preprocessing steps, in order."""
from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n|\r|\n|\\n")
_DOTTED_TOKEN = re.compile(r"\S*\.\S*")
_DIGIT_OR_UNDERSCORE_WORD = re.compile(r"\w*[\d_]\w*")
_SINGLE_QUOTED = re.compile(r"'.*?'")
_PUNCTUATION = re.compile(r"[^\w\s]")
_WHITESPACE = re.compile(r"\s+")


def preprocess_error_value(value: object) -> str:
    """The study's normal form of an error value (``''`` for None or non-text).

    >>> preprocess_error_value("name 'x' is not defined")
    'name is not defined'
    """
    if not isinstance(value, str):
        return ""
    text = _NEWLINES.sub(" ", value)
    text = _DOTTED_TOKEN.sub(" ", text)
    text = _DIGIT_OR_UNDERSCORE_WORD.sub(" ", text)
    text = _SINGLE_QUOTED.sub("", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _WHITESPACE.sub(" ", text)
    return text.strip().lower()


def tokens(processed: str) -> frozenset[str]:
    """The token set of a processed error value: its space-separated words."""
    return frozenset(processed.split())
