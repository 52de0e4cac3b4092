"""Crashes the notebook's author meant (root cause INTENT): the cell's tag, or the author's own words.

Teaching notebooks, books and course notes show errors on purpose, and say so: Jupyter's own
tooling marks such a cell with the ``raises-exception`` tag (nbclient and nbconvert's
ExecutePreprocessor let a tagged cell fail without stopping the run; Jupyter Book and nbsphinx
use the tag the same way), and authors write it in the markdown just above the cell ("this
raises a KeyError") or in a comment of the cell itself ("# will fail: x is a tuple"). These
rules read only that evidence, and stay silent on words that merely mention an error (a
"mean squared error", "fixing the error below", "without raising an error").
"""
from __future__ import annotations

import re

from ..knowledge.messages import ascii_lowered
from ..record.taxonomy import INTENTIONAL
from .rules import Found, example, rule
from .signals import Signals

RAISES_TAG = "raises-exception"
_NEAR_THE_CELL = 2000  # characters of the markdown above that are read: its end, next to the cell
# Comment text, whole-line or after code ("1 / x  # fails: x is zero"); a "#" inside a string is rare enough here.
_COMMENT_TEXT = re.compile(r"#+[ \t]*([^\n]*)")

# An article or pronoun then the error: "raises a KeyError", "gives us an error", "throw an exception".
_THE_ERROR = r"(?:(?:us|you|me|them) )?(?:an?|this|that|the following) (?:\w+ )?(?:\w+Error|\w*Exception|error|exception)\b"
_EXPECTATION = re.compile(
    r"\b(?:raises?|raising|throws?|throwing|gives?|giving|produces?|producing|causes?|causing|results? in|"
    r"leads? to|(?:will|would|should|you'll|we'll) (?:get|see)|we get|you get|expect(?:ed)?) " + _THE_ERROR
    + r"|\b(?:will|would|should|must|is going to|are going to|is expected to|is supposed to) (?:fail|crash|break|error out)\b"
    r"|\b(?:this|that|it|which|the (?:next|following) (?:cell|line|code)) (?:fails|crashes|breaks|errors out)\b"
    r"|\b(?:on purpose|intentionally|deliberately)\b|\b(?:expected|intended|deliberate) (?:error|exception|failure)\b",
    re.IGNORECASE)
# Words that turn the sentence around: "does not raise an error", "to avoid getting an exception".
_NEGATION = re.compile(r"\b(?:not|no|never|without|avoid\w*|prevent\w*|fix\w*|solv\w*|won't|doesn't|don't|didn't|"
                       r"shouldn't|can't|cannot|isn't|wouldn't)\b|n't\b", re.IGNORECASE)

_EXPECTATION_LOWERED = ascii_lowered(_EXPECTATION)
_CONDITIONS = frozenset({"if", "unless", "when", "whenever", "until"})


def author_expects(text: str) -> str | None:
    """The phrase of ``text`` that says the code is expected to fail, or None.

    An exception class or "an error" counts when a verb of raising precedes it ("raises a KeyError",
    "gives us an error"); a negation right before the phrase cancels it, and so does a condition
    right after it ("will fail if the file is missing" warns of a failure, it does not plan one).
    """
    text = text or ""
    # Markdown and comments are mostly ASCII: searched lower-cased, the phrase quoted from the text itself.
    matches = _EXPECTATION_LOWERED.finditer(text.lower()) if text.isascii() else _EXPECTATION.finditer(text)
    for match in matches:
        start, end = match.span()
        before = " ".join(text[:start].split()[-1:])  # "not", "without", "won't" right before the verb
        after = text[end:].split()[:1]  # "will fail if the file is missing" is a warning, not a plan
        phrase = text[start:end]
        if _NEGATION.search(before) or _NEGATION.search(phrase) or \
                (after and after[0].lower().strip(",.:;") in _CONDITIONS):
            continue
        return phrase.strip()
    return None


def _comments(source: str) -> str:
    return "\n".join(m.group(1) for m in _COMMENT_TEXT.finditer(source or ""))


def _md(markdown: str, cells: list[str], crash: int, ename: str, evalue: str, tags: tuple[str, ...] = ()) -> dict:
    runs = [[i, i + 1] for i in range(crash)] + [[crash, crash + 1, "error", 1, ename, evalue]]
    return example(ename, evalue, notebook={"cells": cells, "runs": runs}, crash=crash, prose=[markdown], tags=list(tags))


_KEY = ("KeyError", "'c'")


@rule("RC-INTENT-RAISES-TAG", "INTENT", INTENTIONAL, confidence=0.95, notebook=True,
      examples=[_md("", ["d = {'a': 1}", "d['c']"], 1, *_KEY, tags=(RAISES_TAG,))])
def _raises_tag(s: Signals):
    """The crashing cell carries Jupyter's `raises-exception` tag: its author marked the error as expected.

    nbclient (and nbconvert's ExecutePreprocessor) run such a cell expecting an error and go on;
    Jupyter Book and nbsphinx document the tag for cells that show an error on purpose.
    """
    return RAISES_TAG in s.ctx.cell_tags and "the cell is tagged raises-exception: its author expects this error"


@rule("RC-INTENT-AUTHOR-SAYS", "INTENT", INTENTIONAL, confidence=0.7, notebook=True,
      examples=[_md("Looking up a key that is not there raises a KeyError:", ["d = {'a': 1}", "d['c']"], 1, *_KEY),
                example("ZeroDivisionError", "division by zero",
                        notebook={"cells": ["x = 0", "1 / x  # this will fail: x is zero"],
                                  "runs": [[0, 1], [1, 2, "error", 1, "ZeroDivisionError", "division by zero"]]}, crash=1)])
def _author_says(s: Signals):
    """The markdown just above the crashing cell, or a comment in the cell, says the code will fail.

    Authors of teaching notebooks announce a deliberate error in their own words ("this raises a
    KeyError", "the next cell will fail", "on purpose"); a sentence that negates it ("without
    raising an error", "to avoid an exception") or only names an error metric does not count.
    """
    markdown = " ".join(s.ctx.prose)[-_NEAR_THE_CELL:]  # an announcement ends the text above the cell
    for where, text in (("the markdown above the cell", markdown), ("a comment in the cell", _comments(s.ctx.cell_source or ""))):
        phrase = author_expects(text)
        if phrase:
            return Found(f'{where} says the code is expected to fail ("{phrase}")')
    return None
