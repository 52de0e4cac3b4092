"""ML pipeline stage: where the crashing code stands in the pipeline, by weighed evidence.

Each stage rule adds weight to the stages its evidence names; the stage with the most weight
wins (data preparation on a tie), and the rule that gave the winner the most weight is the
one the trace names.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..knowledge.libraries import STAGE_PRIOR as _LIBRARY_PRIOR
from ..knowledge.pipeline import (HEADING_VOCABULARY, cell_comments, score_cell, score_headings,
                                  score_library_frames, score_stages, stage_words)
from ..record.taxonomy import STAGES
from .rules import CELL_FILE, REGISTRY, Rule, candidate, example, rule, site, traceback_text
from .signals import Signals

# When the code says nothing, the exception itself hints at the stage. A fallback only (ST-TYPE-PRIOR
# weighs nothing when any other stage rule did): the taxonomy judges the stage by the code that
# crashed, and an exception type is raised at every step (a KeyError reads a column while preparing
# data, a history while plotting curves, a metric's dict while evaluating), so the type's guess must
# not outweigh what the code, the library frames or the notebook say, however little.
_TYPE_PRIOR: dict[str, tuple[str, float]] = {
    "MODULE": ("ENVS", 2.5), "ENV": ("ENVS", 2.0), "IO": ("DATAP", 1.5), "OOM": ("TRAIN", 1.5),
    "TSHAPE": ("TRAIN", 0.8), "KEY": ("DATAP", 1.2), "FNAME": ("DATAP", 0.8), "DVIOL": ("DATAP", 0.5),
    "VALUE": ("DATAP", 0.8), "BCAST": ("DATAP", 0.5), "INIT": ("TRAIN", 1.0), "RERR": ("DATAP", 0.8),
    "INDEX": ("DATAP", 0.8), "VNF": ("DATAP", 0.6), "ATTR": ("DATAP", 0.4), "TYPE": ("DATAP", 0.4),
    "IARG": ("TRAIN", 0.3), "RUNTIME": ("TRAIN", 0.8), "NAME": ("DATAP", 0.3), "OTHER": ("DATAP", 0.3),
}
BY_SCORE = ""  # the code of stage rules: their verdict is whichever stage the scores favour
FALLBACK = "ST-TYPE-PRIOR"  # weighed last, and only when no other stage rule weighed anything


@dataclass(frozen=True)
class Stage:
    code: str
    scores: dict[str, float]
    evidence: str = ""
    trace: dict | None = None


def _line(code: str, ename: str = "ValueError", evalue: str = "bad", **more) -> dict:
    return example(ename, evalue, traceback_text(ename, evalue, (CELL_FILE, code)), **more)


@rule("ST-CALL-VOCAB", BY_SCORE, "the stage the failing line's words name",
      examples=[_line("model.fit(X_train, y_train, epochs=10)", expect="TRAIN"),
                _line("print(accuracy_score(y_test, y_pred))", expect="EVAL"),
                _line("layer = nn.Linear(4, 2)", expect="MCONS"),
                _line("plt.switch_backend('TkAgg')", expect="ENVS")])
def _call_vocabulary(s: Signals, scores: dict[str, float]) -> None:
    """The failing line's calls, methods and names are pipeline vocabulary (`fit` trains, `read_csv` prepares data).

    A module-qualified call takes the stage of the library module that defines it, read from the
    installed libraries (`metrics.f1_score` evaluates, `nn.Linear` builds a model, `sns.heatmap`
    visualises: knowledge/stage_apis.py); the cell's imports resolve names imported from a module.
    The cell's own line names the step; a line deep in a helper the cell called counts half.
    When the traceback shows that the failing line called into a library (the next frame is not the
    user's), a bare name the user bound and called holds a library object, and its name is no clue to
    what ran: `out = encoder(x)` that enters torch's `Module.__call__` runs a module, whatever
    "encode" suggests, so the shapes of such names (`CALL_SHAPES`) are not read on that line; the
    library frames say what ran. Dotted and imported names are the library's own and still count.
    """
    shapes = not called_library(s)
    if s.cell_line and s.cell_line != s.crashing_line:
        score_stages(s.crashing_line, 1.5, scores, call_shapes=shapes)
        score_stages(s.cell_line, 3.0, scores, s.cell_imports)
    else:
        score_stages(s.crashing_line, 3.0, scores, s.cell_imports, call_shapes=shapes)


def called_library(s: Signals) -> bool:
    """The failing line called into code that is not the user's: the frame after the innermost user
    frame that shows a line belongs to a library or to Python's standard library."""
    frames = s.frames
    for index in range(len(frames) - 1, -1, -1):
        if frames[index].is_user and frames[index].line:
            return index + 1 < len(frames) and not frames[index + 1].is_user
    return False


@rule("ST-CELL-VOCAB", BY_SCORE, "the stage the crashing cell's code names",
      examples=[example("KeyError", "'x'", cell_source="sns.heatmap(corr)\nplt.show()\nv = d['x']", expect="DATAV")])
def _cell_vocabulary(s: Signals, scores: dict[str, float]) -> None:
    """The whole cell's code (or the traceback's user lines) names pipeline steps, weighed lightly."""
    score_cell(s.code_context, 0.4, scores, s.cell_imports)


@rule("ST-LIBRARY-FRAMES", BY_SCORE, "the stage of the library code the traceback passes through",
      examples=[example("ValueError", "bad", traceback_text(
          "ValueError", "bad", (CELL_FILE, "run(a)"), (site("sklearn/metrics/_classification.py"), "raise", 9, "f1_score")),
          expect="EVAL"),
          example("RuntimeError", "bad", traceback_text(
              "RuntimeError", "bad", (CELL_FILE, "out = net(xb)"),
              (site("torch/nn/modules/module.py"), "return forward_call(*args)", 9, "Module._call_impl"),
              (site("torch/nn/modules/linear.py"), "return F.linear(input, self.weight)", 9, "Linear.forward")),
              expect="TRAIN")])
def _library_frames(s: Signals, scores: dict[str, float]) -> None:
    """The library modules and functions in the traceback belong to a stage (`sklearn.metrics` evaluates).

    A torch module that crashes in `forward` (reached through `Module.__call__`) is being run on a
    batch, not built: its stage is training (or evaluation, when the line's words say so).
    """
    score_library_frames(s.frames, 1.0, scores)


@rule("ST-HEADINGS", BY_SCORE, "the stage the notebook's headings above the cell name",
      examples=[example("KeyError", "'x'", headings=["## Training"], expect="TRAIN")])
def _headings(s: Signals, scores: dict[str, float]) -> None:
    """The markdown headings above the crashing cell name the step ("## Training")."""
    score_headings(s.ctx.headings, 2.0, scores)


@rule("ST-COMMENTS", BY_SCORE, "the stage the cell's comments name",
      examples=[example("KeyError", "'x'", cell_source="# Evaluation\nv = d['x']", expect="EVAL")])
def _comments(s: Signals, scores: dict[str, float]) -> None:
    """The author's comments in the cell name the step (`# train the model`)."""
    score_headings(cell_comments(s.code_context), 2.0, scores)


@rule("ST-TYPE-PRIOR", BY_SCORE, "the stage where crashes of this exception type most often happen",
      examples=[example("ModuleNotFoundError", "No module named 'xgboost'", expect="ENVS")])
def _type_prior(s: Signals, scores: dict[str, float]) -> None:
    """When the code says nothing, the exception type hints at the stage (a missing module is environment setup).

    A fallback: weighed last, and only when no other stage rule gave any stage weight. The
    taxonomy judges the stage by the code that crashed, not by the exception; a type is raised at
    every step (a `KeyError` reads a column while preparing data, a training history's key while
    plotting it), so its guess never outweighs what the code says, however little.
    """
    if any(weight > 0 for weight in scores.values()):
        return
    prior = _TYPE_PRIOR.get(s.etype.code)
    if prior:
        scores[prior[0]] = scores.get(prior[0], 0.0) + prior[1]


@rule("ST-LIBRARY-PRIOR", BY_SCORE, "the stage the outermost library is mostly used for",
      examples=[example("TypeError", "bad", traceback_text(
          "TypeError", "bad", (CELL_FILE, "run(a)"), (site("h5py/_hl/files.py"), "raise")), expect="EVAL")])
def _library_prior(s: Signals, scores: dict[str, float]) -> None:
    """Some libraries are mostly one stage (seaborn and matplotlib visualise, pandas prepares data)."""
    for library in s.libraries[:1]:
        if library in _LIBRARY_PRIOR:
            stage, weight = _LIBRARY_PRIOR[library]
            scores[stage] = scores.get(stage, 0.0) + weight


def classify_stage(signals: Signals, exception_type: str | None = None) -> Stage:
    """The stage with the most weight, and the trace of which rule gave how much."""
    if exception_type is not None and signals.etype is None:
        from .exception_types import ExceptionType

        signals.etype = ExceptionType(exception_type, "")
    scores: dict[str, float] = {}
    best_rule: dict[str, tuple[float, Rule]] = {}
    # ST-TYPE-PRIOR last: it weighs only when nothing before it did (a stable sort keeps the others' order).
    scorers = sorted(REGISTRY.ordered("stage"), key=lambda r: r.id == FALLBACK)
    for scorer in scorers:
        before = dict(scores)
        scorer.predicate(signals, scores)
        for stage, total in scores.items():
            gain = total - before.get(stage, 0.0)
            if gain > 0 and gain > best_rule.get(stage, (0.0, None))[0]:
                best_rule[stage] = (gain, scorer)
    # Never empty: ST-TYPE-PRIOR, last, weighs every exception type of the taxonomy when no rule did.
    best = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "DATAP"))[0]
    # ST-DATAFLOW (stage_flow.py) leaves its sentence for each stage it weighed.
    flow = signals.memo.get("stage_flow", {}).get(best) if best_rule[best][1].id == "ST-DATAFLOW" else None
    evidence = flow or _stage_evidence(signals, best, signals.etype.code, cell_comments(signals.code_context))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] != "DATAP", kv[0]))
    candidates = [candidate(best_rule[stage][1], stage, round(score, 3)) for stage, score in ranked]
    return Stage(best, scores, evidence, {"rule": best_rule[best][1].id, "why": evidence, "candidates": candidates})


def _stage_evidence(signals: Signals, stage: str, exception_type: str, comments: list[str]) -> str:
    """One sentence: which words of the crashing code put it at ``stage``."""
    meaning = STAGES.get(stage, stage)
    for where, code in (("the failing line", signals.cell_line or signals.crashing_line),
                        ("the line inside the called code", signals.crashing_line),
                        ("the crashing cell", signals.code_context)):
        words = stage_words(code, stage, aliases=signals.cell_imports)
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
