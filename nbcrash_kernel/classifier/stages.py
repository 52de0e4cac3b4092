"""ML pipeline stage: where the crashing code stands in the pipeline."""
from __future__ import annotations

from dataclasses import dataclass

from ..knowledge.pipeline import (HEADING_VOCABULARY, cell_comments, score_cell, score_headings,
                                  score_library_frames, score_stages, stage_words)
from ..taxonomy import STAGES
from .signals import Signals

# When the code says nothing, the exception itself hints at the stage.
_TYPE_PRIOR: dict[str, tuple[str, float]] = {
    "MODULE": ("ENVS", 2.5), "ENV": ("ENVS", 2.0), "IO": ("DATAP", 1.5), "OOM": ("TRAIN", 1.5),
    "TSHAPE": ("TRAIN", 0.8), "KEY": ("DATAP", 1.2), "FNAME": ("DATAP", 0.8), "DVIOL": ("DATAP", 0.5),
    "VALUE": ("DATAP", 0.8), "BCAST": ("DATAP", 0.5), "INIT": ("TRAIN", 1.0), "RERR": ("DATAP", 0.8),
    "INDEX": ("DATAP", 0.8), "VNF": ("DATAP", 0.6), "ATTR": ("DATAP", 0.4), "TYPE": ("DATAP", 0.4),
    "IARG": ("TRAIN", 0.3), "RUNTIME": ("TRAIN", 0.8), "NAME": ("DATAP", 0.3), "OTHER": ("DATAP", 0.3),
}

# Libraries whose code is mostly one stage.
_LIBRARY_PRIOR: dict[str, tuple[str, float]] = {
    "matplotlib": ("DATAV", 1.5), "seaborn": ("DATAV", 2.0), "plotly": ("DATAV", 2.0),
    "wordcloud": ("DATAV", 2.0), "missingno": ("DATAV", 2.0), "pandas": ("DATAP", 1.0),
    "cv2": ("DATAP", 1.0), "PIL": ("DATAP", 1.0), "nltk": ("DATAP", 1.0),
    "h5py": ("EVAL", 0.5),
}


@dataclass(frozen=True)
class Stage:
    code: str
    scores: dict[str, float]
    evidence: str = ""


def classify_stage(signals: Signals, exception_type: str) -> Stage:
    scores: dict[str, float] = {}
    # The cell's own line names the pipeline step; a line deep in a helper counts less.
    if signals.cell_line and signals.cell_line != signals.crashing_line:
        score_stages(signals.crashing_line, 1.5, scores)
        score_stages(signals.cell_line, 3.0, scores)
    else:
        score_stages(signals.crashing_line, 3.0, scores)
    score_cell(signals.code_context, 0.4, scores)
    score_library_frames(signals.frames, 1.0, scores)
    score_headings(signals.ctx.headings, 2.0, scores)
    comments = cell_comments(signals.code_context)
    score_headings(comments, 2.0, scores)  # the author's step names
    prior = _TYPE_PRIOR.get(exception_type)
    if prior:
        scores[prior[0]] = scores.get(prior[0], 0.0) + prior[1]
    for library in signals.libraries[:1]:
        if library in _LIBRARY_PRIOR:
            stage, weight = _LIBRARY_PRIOR[library]
            scores[stage] = scores.get(stage, 0.0) + weight
    if not scores:
        return Stage("DATAP", scores, "nothing in the crash names a pipeline step: data preparation by default")
    best = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "DATAP"))[0]
    return Stage(best, scores, _stage_evidence(signals, best, exception_type, comments))


def _stage_evidence(signals: Signals, stage: str, exception_type: str, comments: list[str]) -> str:
    """One sentence: which words of the crashing code put it at ``stage``."""
    meaning = STAGES.get(stage, stage)
    for where, code in (("the failing line", signals.cell_line or signals.crashing_line),
                        ("the line inside the called code", signals.crashing_line),
                        ("the crashing cell", signals.code_context)):
        words = stage_words(code, stage)
        if words:
            shown = ", ".join(f"`{w}`" for w in words)
            return f"stage {stage} ({meaning}): {where} uses {shown}"
    for where, texts in (("the cell's comment", reversed(comments)),
                         ("the heading", reversed(signals.ctx.headings or []))):
        for text in texts:
            if any(s == stage and pattern.search(text) for pattern, s in HEADING_VOCABULARY):
                return f"stage {stage} ({meaning}): {where} \"{text.strip()[:80]}\" names the step"
    prior = _TYPE_PRIOR.get(exception_type)
    if prior and prior[0] == stage:
        return (f"stage {stage} ({meaning}): the code names no pipeline step; "
                f"{exception_type} crashes are most often there")
    sources = ["the library code the traceback passes through"]
    if signals.ctx.headings:
        sources.append("the notebook's headings above the cell")
    return f"stage {stage} ({meaning}): from {' and '.join(sources)}"
