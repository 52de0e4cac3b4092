"""Pipeline vocabulary: the words of code that tell its ML pipeline stage."""
from __future__ import annotations

import re
from functools import lru_cache

from .messages import ascii_lowered
from .stage_lookup import BARE_NAMES, METHODS, chain_entry, is_module_alias, qualified_entry

# Hand words of code -> (stage, weight), for what the library table (knowledge/stage_apis.py, read
# through stage_lookup.py) does not give: each line says why it is here. Looked up per token, so
# scoring stays linear. ``CALLS``: functions and classes called by bare name; ``ATTRIBUTES``:
# methods and attributes after a dot; ``NAMES``: any other identifier.
def _table(spec: str) -> dict[str, tuple[str, float]]:
    table: dict[str, tuple[str, float]] = {}
    for line in spec.strip().splitlines():
        line = line.split("#", 1)[0]
        if not line.strip():
            continue
        stage, weight, words = line.split(None, 2)
        for word in words.split():
            table.setdefault(word, (stage, float(weight)))
    return table


CALLS = _table("""
DATAP 2 open loadtxt genfromtxt imread ImageFolder listdir glob  # readers of builtins, numpy, os, glob, cv2, torchvision
DATAP 2 ImageDataGenerator Tokenizer  # Keras 2 preprocessing, gone from Keras 3 (the table's)
DATAP 2 SMOTE word_tokenize ToTensor Compose Normalize Resize  # imblearn, nltk, torchvision: not in the table
DATAP 2 merge cut qcut  # pandas names too short to count as distinctive bare names
MCONS 2 Functional build_model create_model get_model make_model  # the helpers people write to build a model
MCONS 2.5 load_weights load_state_dict from_pretrained from_preset  # methods of several libraries' models
MCONS 1.2 Prophet  # prophet: not in the table
TRAIN 1.5 ols MCMC  # statsmodels' formula ols is too short to be distinctive; pymc
TRAIN 2 fit train Trainer TrainingArguments  # the user's own fit/train helpers; transformers: not in the table
EVAL 2.5 auc mean_squared_error mean_absolute_error  # sklearn.metrics, but Keras's losses share the long ones
EVAL 2.5 plot_confusion_matrix plot_roc_curve mape rmse mse predict evaluate  # removed sklearn plots; helpers
DATAV 2 show display WordCloud  # IPython.display, wordcloud: not in the table
ENVS 2 seed setdefault set_memory_growth extractall download  # seeds, tf.config.experimental, archives, nltk
""")

ATTRIBUTES = _table("""
DATAP 1 str dt  # pandas accessors, used without a call (library methods count only when called)
DATAP 1 iloc loc values index columns shape dtypes  # pandas properties, never called
DATAP 1 join concat replace split lower strip reshape flatten expand_dims count insert update copy  # shared
DATAP 1 astype unique transpose squeeze tolist sum mean cumsum clip  # frames' and arrays' own: the table drops shared methods
DATAP 2 load loadtxt flow_from_directory flow_from_dataframe  # numpy and Keras 2 loaders
DATAP 2 open  # PIL.Image.open, gzip, bz2, lzma, tarfile, io, codecs .open: builtin open() for their formats (CALLS)
MCONS 2 trainable layers parameters  # a model's own attributes
MCONS 2.5 load_model load_weights load_state_dict from_pretrained from_preset restore  # several libraries
TRAIN 2 fit_generator train optimize  # Keras 2's fit_generator (removed in Keras 3); helpers
TRAIN 1.5 save save_model dump  # saving what was trained
TRAIN 3 best_params_ best_estimator_ best_score_ best_index_ cv_results_  # sklearn search results
EVAL 2.5 predict_classes predict_generator evaluate_generator inverse_transform generate  # Keras 2, sklearn
EVAL 2 history feature_importances_ coef_  # what a fitted model reports
DATAV 2 plot title  # the DataFrame.plot accessor (df.plot.bar), used without a call; titles
ENVS 2 chdir environ makedirs mkdir path mount  # os and google.colab.drive through any alias
""")

NAMES = _table("""
DATAV 2 plt sns px go ax axes axs fig msno plotly pyplot
DATAV 1 figsize  # the figure size every matplotlib-drawn plot takes (pyplot.figure, subplots, DataFrame.plot)
TRAIN 2 epochs epoch batch_size optimizer callbacks learning_rate n_estimators early_stopping
EVAL 2 y_pred y_preds preds predictions submission sample_submission val_loss val_accuracy test_loss test_accuracy
TRAIN 1 verbose validation_data validation_split steps_per_epoch class_weight
MCONS 1 input_shape input_dim units activation kernel_size filters num_classes hidden_size
DATAP 1 test_size columns
""")

# Identifier shapes of variables (not calls) that no table lists: what a step produced or consumes.
NAME_SHAPES: tuple[tuple[re.Pattern[str], str, float], ...] = tuple(
    (re.compile(p, re.IGNORECASE), s, w) for p, s, w in (
        (r"pred|score|acc(?:uracy)?\b|metric|result|(?:^|_)(?:r?mse|mae|auc|f1|bleu)(?:_|$)|^y_true", "EVAL", 1.0),
        (r"^test_|_test$", "EVAL", 0.5),
        (r"^val(?:id)?_|_val(?:id)?$", "TRAIN", 0.5),  # validation is part of training (taxonomy.md)
        (r"^[xy]_?train|train_[xy]\b|loss|epoch|optimi[sz]er|^lr$", "TRAIN", 0.6),
        (r"plot|^fig|^ax", "DATAV", 1.0),
    ))

# Identifier shapes for names that no table lists: (substring, stage, weight) on called names.
CALL_SHAPES: tuple[tuple[str, str, float], ...] = (
    ("plot", "DATAV", 1.5), ("visuali", "DATAV", 1.5), ("draw", "DATAV", 1.0), ("show", "DATAV", 1.0),
    ("preprocess", "DATAP", 2.0), ("clean", "DATAP", 2.0), ("encode", "DATAP", 1.5), ("tokeniz", "DATAP", 2.0),
    ("normaliz", "DATAP", 1.5), ("augment", "DATAP", 1.5), ("load_data", "DATAP", 2.0), ("read", "DATAP", 1.0),
    ("train", "TRAIN", 1.5), ("fit", "TRAIN", 1.0), ("predict", "EVAL", 2.0), ("evaluat", "EVAL", 2.0),
    ("metric", "EVAL", 1.5), ("recommend", "EVAL", 1.5), ("infer", "EVAL", 1.5), ("test", "EVAL", 1.0),
    ("score", "EVAL", 1.0), ("rules", "EVAL", 1.0),
    ("Classifier", "MCONS", 1.2), ("Regressor", "MCONS", 1.2), ("XGB", "MCONS", 1.2), ("LGBM", "MCONS", 1.2),
    ("CatBoost", "MCONS", 1.2), ("model", "MCONS", 1.0),
)

_CALL_SHAPES_LOWER = tuple((part.lower(), stage, weight) for part, stage, weight in CALL_SHAPES)


@lru_cache(maxsize=8192)
def _call_shape(name_lower: str) -> tuple[str, float] | None:
    return next(((st, w) for part, st, w in _CALL_SHAPES_LOWER if part in name_lower), None)


def _lowered(patterns):
    """The vocabulary for lower-cased ASCII text (``messages.ascii_lowered``)."""
    return tuple((ascii_lowered(pattern), *rest) for pattern, *rest in patterns)


_NAME_SHAPES_LOWERED = _lowered(NAME_SHAPES)


@lru_cache(maxsize=8192)
def _name_shape(name: str) -> tuple[str, float] | None:
    if isinstance(name, str) and name.isascii():
        name = name.lower()
        return next(((st, w) for pattern, st, w in _NAME_SHAPES_LOWERED if pattern.search(name)), None)
    return next(((st, w) for pattern, st, w in NAME_SHAPES if pattern.search(name)), None)


# A token: an optional dot, the name, and a call's parenthesis; after a name not called, what follows it
# (looked at, not taken): a member (``plt.``) or a keyword argument's ``=``, read in the same search.
_TOKEN = re.compile(r"(\.)?\s*([A-Za-z_][A-Za-z0-9_]*)(?:(\s*\()|(?=(\s*\.\s*[A-Za-z_])|(\s*=(?!=))|))")
_IMPORT_LINE = re.compile(r"^\s*(?:import|from)\s+\w", re.MULTILINE)
_SHELL_INSTALL = re.compile(r"^\s*[!%]\s*(?:pip|conda|apt|apt-get|git|wget|unzip|curl)\b", re.MULTILINE)
_MODEL_CLASS = re.compile(r"^\s*(?:class\s+\w+\s*\(\s*(?:nn\.)?Module|def\s+(?:forward|build|call)\b)", re.MULTILINE)
# A cell that fits a model or loops over epochs is a training cell, whatever line failed in it.
_TRAINING_CELL = re.compile(r"\.fit(?:_generator)?\(|\bfor\s+\w+\s+in\s+(?:\w+\()?range\(\s*(?:\w+_)?epochs\b|\.backward\(\s*\)")
_CURVES = {"history", "loss", "acc", "accuracy", "losses", "train_losses", "val_losses", "train_loss", "val_loss"}

# Markdown heading words -> stage (headings around a crash are a strong hint).
HEADING_VOCABULARY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), s) for p, s in (
        (r"import|install|setup|set up|environment|librar|config|download", "ENVS"),
        (r"load|read|clean|prepar|preprocess|feature|encod|split|wrangl|merge|missing|impute|token", "DATAP"),
        (r"visuali|plot|eda|explor|distribution|chart|graph|figure", "DATAV"),
        (r"model|architecture|network|layer|build|defin|construct", "MCONS"),
        (r"train|fit|tun|grid|search|cross.?valid|optimi", "TRAIN"),
        (r"evaluat|predict|metric|result|test|score|submission|inference|confusion|accuracy", "EVAL"),
    )
)


_STRING = re.compile(r"(?P<q>['\"])(?:(?!(?P=q)).){0,300}(?P=q)")


def strip_strings(code: str) -> str:
    """Code with string literals emptied: paths and column names are not pipeline words."""
    return _STRING.sub(lambda m: m.group("q") * 2, code)


def score_stages(code: str, weight: float = 1.0, scores: dict[str, float] | None = None,
                 aliases: dict[str, str] | None = None, call_shapes: bool = True) -> dict[str, float]:
    """Add ``weight`` times the vocabulary hits in ``code`` (strings aside) to ``scores``.

    ``aliases`` are the cell's imports (bound name -> module or ``module.member``). ``call_shapes``:
    guess the step of a callable the tables do not know from its name (CALL_SHAPES). False when the
    traceback shows the line called into a library: a bare name the user bound (``encoder(x)``, not
    imported) then holds a library object, and its name is no clue to what ran; a dotted name
    (``camelot.read_pdf``) or an imported one is the library's own and is still read."""
    scores = {} if scores is None else scores
    if not code:
        return scores
    if "submission" in code.lower():
        _add(scores, "EVAL", 2.0 * weight)
    code = strip_strings(code)
    if _IMPORT_LINE.search(code):
        _add(scores, "ENVS", 3.0 * weight)
        if _only_imports(code):
            return scores  # an import statement names modules, not a pipeline step
    if _SHELL_INSTALL.search(code):
        _add(scores, "ENVS", 4.0 * weight)
    if _MODEL_CLASS.search(code):
        _add(scores, "MCONS", 2.0 * weight)
    hits: dict[str, int] = {}
    plots = curves = False
    datav_before = scores.get("DATAV", 0.0)
    for _word, name, entry in _entries(code, aliases, call_shapes):
        curves = curves or name in _CURVES
        if entry is None:
            continue
        stage, w = entry
        plots = plots or stage == "DATAV"
        count = hits.get(name, 0)
        if count < 3:
            hits[name] = count + 1
            _add(scores, stage, weight * w)
    if plots and curves:  # learning curves are how a model is evaluated, not data exploration
        _add(scores, "EVAL", scores.get("DATAV", 0.0) - datav_before + 1.0 * weight)
    return scores


def _entries(code: str, aliases: dict[str, str] | None,
             call_shapes: bool = True) -> tuple[tuple[str, str, tuple[str, float] | None], ...]:
    """Each token of ``code`` as (word as shown, name, its (stage, weight) or None); a token after
    ``name.`` continues a dotted chain, which resolves through module aliases first. The same lines
    are scored and then quoted as evidence: the result is cached."""
    return _cached_entries(code, tuple(sorted(aliases.items())) if aliases else (), call_shapes)


@lru_cache(maxsize=128)  # reuse is within one classification; keys are whole cells, kept in the kernel
def _cached_entries(code: str, alias_items: tuple[tuple[str, str], ...], call_shapes: bool = True):
    return tuple(_resolve_tokens(code, dict(alias_items), call_shapes))


def _resolve_tokens(code: str, aliases: dict[str, str], call_shapes: bool = True
                    ) -> list[tuple[str, str, tuple[str, float] | None]]:
    tokens: list[tuple[str, str, tuple[str, float] | None]] = []
    append = tokens.append
    chain: tuple[str, ...] = ()
    chain_end = -1
    for match in _TOKEN.finditer(code):
        dot, name, call, member, equals = match.groups()
        if dot:
            chain = (*chain, name) if chain and match.start() == chain_end else ()
        else:
            chain = (name,)
        if call:
            chain_end = -1
        else:
            chain_end = match.end()
            if not dot:  # a bare name, not called: most tokens
                if member and is_module_alias(name, aliases):
                    append((name, name, None))  # ``plt`` in ``plt.switch_backend``: the member names the step
                    continue
                entry = NAMES.get(name)
                if entry is None and not (equals and _keyword_argument(code, match)):
                    entry = _name_shape(name)  # not ``axis=1``, the callee's parameter: a variable of the user's
                append((name, name, entry))
                continue
        entry = chain_entry(chain, aliases) if len(chain) > 1 or (call and not dot) else None
        if entry is None and not dot and call and aliases and name in aliases:
            entry = qualified_entry(aliases[name])  # ``from sklearn.metrics import f1_score``
        if entry is None:
            entry = _word_entry(dot, name, call, call_shapes or bool(dot) or name in aliases)
        append((f"{dot or ''}{name}{'()' if call else ''}", name, entry))
    return tokens


_KEYWORD_EQUALS = re.compile(r"\s*=(?!=)")
_BEFORE_KEYWORD = re.compile(r"[(,]\s*$")


def _keyword_argument(code: str, match: re.Match) -> bool:
    """The token is a keyword argument's name (``axis`` in ``np.argmax(p, axis=1)``): Python binds it to
    the called function's parameter of that name, so it is the library's word, not a value the user
    made (a variable shape such as ``^ax`` for axes does not apply); the hand ``NAMES`` still do."""
    start = match.start(2)
    return bool(_KEYWORD_EQUALS.match(code, match.end(2))) and \
        bool(_BEFORE_KEYWORD.search(code, max(0, start - 40), start)) and code.count("(", 0, start) > code.count(")", 0, start)


def _only_imports(code: str) -> bool:
    """Every statement is an import: blank lines, comments and continued imports (``(`` or ``\\``) aside."""
    open_parens, continued = 0, False
    for line in code.splitlines():
        text = line.split("#", 1)[0].strip()  # strings are blanked already: a ``#`` starts a comment
        if not (open_parens or continued):
            if not text:
                continue
            if not text.startswith(("import ", "from ")):
                return False
        open_parens += text.count("(") - text.count(")")
        continued = text.endswith("\\")
    return True


def stage_words(code: str, stage: str, limit: int = 3, aliases: dict[str, str] | None = None) -> list[str]:
    """The words of ``code`` (strings aside) that the vocabulary gives to ``stage``, in order."""
    words: list[str] = []
    tokens = _entries(strip_strings(code or ""), aliases)
    curves_plotted = stage == "EVAL" and any(entry and entry[0] == "DATAV" for *_, entry in tokens)
    for word, name, entry in tokens:
        if curves_plotted and name in _CURVES and not word.endswith("()"):
            entry = ("EVAL", 1.0)  # a learning curve being plotted
        if entry is not None and entry[0] == stage and word not in words:
            words.append(word)
            if len(words) == limit:
                break
    return words


def api_calls(code: str, aliases: dict[str, str] | None = None, least: float = 1.5) -> list[tuple[str, str, float]]:
    """The calls in ``code`` (strings aside) that the vocabulary gives a stage at weight ``least`` or
    more, as (word, stage, weight): APIs that name a step, not the methods every stage shares
    (``.mean()``, ``.copy()``, weighed 1)."""
    return [(word, entry[0], entry[1]) for word, _name, entry in _entries(strip_strings(code or ""), aliases)
            if entry is not None and entry[1] >= least and word.endswith("()")]


def _word_entry(dot: str, name: str, call: str, call_shapes: bool = True) -> tuple[str, float] | None:
    """The vocabulary's (stage, weight) for one token: an attribute, a call or a plain name.

    The hand tables come first (their entries say why they are there), then the library table:
    a method when called, a bare library name when distinctive."""
    entry = (ATTRIBUTES if dot else CALLS if call else NAMES).get(name)
    if entry is not None:
        return entry
    if call:
        entry = METHODS.get(name) if dot else BARE_NAMES.get(name)
        if entry is not None:
            return entry
        return (_call_shape(name.lower()) if call_shapes else None) or (NAMES.get(name) if dot else None)
    return NAMES.get(name) if dot else _name_shape(name)


def _add(scores: dict[str, float], stage: str, value: float) -> None:
    scores[stage] = scores.get(stage, 0.0) + value


def score_cell(code: str, weight: float, scores: dict[str, float],
               aliases: dict[str, str] | None = None) -> dict[str, float]:
    """The whole cell's vocabulary at ``weight``, plus its shape (a training cell)."""
    score_stages(code, weight, scores, aliases)
    if code and _TRAINING_CELL.search(code):
        _add(scores, "TRAIN", 2.5)
    return scores


_COMMENT = re.compile(r"(?m)^[ \t]*#+[ \t]*([^\n]*)")  # whole-line comments: prose, not notes on code
_COMMENTED_CODE = re.compile(r"[=(\[]|^\w+\.\w")


def cell_comments(code: str) -> list[str]:
    """The prose ``#`` comment lines of ``code`` (commented-out code aside), in order: the
    author's own names for the step, as good a hint as a markdown heading."""
    return [text for text in _COMMENT.findall(code or "")
            if text.strip() and not _COMMENTED_CODE.search(text)]


_HEADING_VOCABULARY_LOWERED = _lowered(HEADING_VOCABULARY)


def score_headings(headings: list[str], weight: float, scores: dict[str, float]) -> dict[str, float]:
    for distance, heading in enumerate(reversed(headings or [])):
        vocabulary = HEADING_VOCABULARY
        if isinstance(heading, str) and heading.isascii():
            heading, vocabulary = heading.lower(), _HEADING_VOCABULARY_LOWERED
        for pattern, stage in vocabulary:
            if pattern.search(heading):
                scores[stage] = scores.get(stage, 0.0) + weight / (1 + distance)
    return scores


# Library modules and API functions that tell the stage of the call that failed.
# Sources for the torch entries (torch 2.x): torch/nn/modules/module.py (`__call__` is
# `_wrapped_call_impl`, which calls `_call_impl`, which calls `forward`: a module running on data,
# not one being built, which is `__init__`); torch/nn/modules/loss.py (the losses a training step
# minimises) and torch/optim (the optimisers' `step`); torchvision/transforms (image preprocessing).
# statsmodels/graphics holds statsmodels' plots (plot_acf, qqplot).
LIBRARY_FRAME_VOCABULARY: tuple[tuple[re.Pattern[str], str, float], ...] = tuple(
    (re.compile(p), s, w) for p, s, w in (
        (r"\bmetrics\b|_classification|_regression|\bscorer|\bpredict\w*$|\bevaluate\w*$|\bscore$|"
         r"\bclassification_report|\bconfusion_matrix|\bgenerate$", "EVAL", 2.0),
        (r"matplotlib|seaborn|plotly|pyplot|\bplotting\b|wordcloud|missingno|\bimshow$|\bplot$|\bshow$|"
         r"^statsmodels\.graphics\b", "DATAV", 2.0),
        (r"model_selection\._search|model_selection\._validation|\bfit\w*$|\btrain\w*$|\btraining\b|"
         r"\bbackward$|\boptimizer|\bstep$|\btrainer\b", "TRAIN", 2.0),
        (r"\bpandas\.io\b|\bparsers\b|read_csv|read_excel|\bpreprocessing\b|\bimpute\b|feature_extraction|"
         r"\bmerge\b|\breshape\b|\bgroupby\b|\bindexing\b|__getitem__|\bloc\b|\bconcat\b|"
         r"\bsplit\b|train_test_split|\bfit_transform$|\btransform$|\bdata\.|\bdatasets?\b|\bimage\b|\bimgproc\b", "DATAP", 1.5),
        (r"\blayers\b|\bengine\.(?:sequential|functional|base_layer|input_layer)|"
         r"\bcompile$|\bsummary$|\badd$|__init__$|\bbuild$|load_state_dict|load_model|load_weights|\bsaving\b|"
         r"\bhdf5_format\b|from_pretrained|\bmodeling_", "MCONS", 1.5),
        (r"\bnn\.modules\.\w+ (?:\w+\.)?(?:forward|_call_impl|_wrapped_call_impl)$", "TRAIN", 1.0),
        (r"^torch\.nn\.modules\.loss\b|^keras\.src\.losses\b|^torch\.optim\b", "TRAIN", 1.5),
        (r"^torchvision\.transforms\b", "DATAP", 1.5),
    ))


@lru_cache(maxsize=4096)
def _frame_stages(module: str, function: str) -> tuple[tuple[str, float], ...]:
    text = f"{module} {function}"
    return tuple((stage, w) for pattern, stage, w in LIBRARY_FRAME_VOCABULARY if pattern.search(text))


def score_library_frames(frames, weight: float, scores: dict[str, float]) -> dict[str, float]:
    """Score the library frames: the outermost one (the API the user called) counts most."""
    seen = 0
    for frame in frames:
        if frame.is_user or not frame.library or frame.is_stdlib:
            continue
        frame_weight = weight if seen == 0 else weight * 0.3
        for stage, w in _frame_stages(frame.module or "", frame.function or ""):
            scores[stage] = scores.get(stage, 0.0) + frame_weight * w
        seen += 1
        if seen >= 6:
            break
    return scores
