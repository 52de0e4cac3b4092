"""Libraries' own exception classes and the built-in exception each derives from.

A library class's name often says nothing of its kind (pandas' ``ParserError``, numpy's
``DTypePromotionError``, scipy's ``QhullError``), but its base class does: the classifier reads a
class it has no rule for as its built-in base (a ``ValueError`` subclass is a value error).

Source: the class hierarchies of the installed libraries, read by importing every public module
and walking each exception class's MRO to its first built-in base (scikit-learn 1.9.1, pandas
3.1.1, numpy 2.4.6, scipy 1.17.1, matplotlib 3.11.2, Pillow 13.0.0; ``tests/test_exception_classes.py``
checks the table against the installed versions). xgboost: ``class XGBoostError(ValueError)`` in
xgboost/core.py (2.x); torch: ``torch.OutOfMemoryError`` and ``torch.linalg.LinAlgError`` derive
from RuntimeError (torch/csrc/Exceptions.cpp). Warnings are left out; so are classes named after
their base (``...ValueError``), which the rules read by name.
"""
from __future__ import annotations

# class name -> (library, built-in base, lower-case)
EXCEPTION_BASES: dict[str, tuple[str, str]] = {
    # PIL
    "BLPFormatError": ("PIL", "runtimeerror"), "PdfFormatError": ("PIL", "runtimeerror"),
    "UnidentifiedImageError": ("PIL", "oserror"),
    # matplotlib
    "ConversionError": ("matplotlib", "typeerror"), "ExecutableNotFoundError": ("matplotlib", "oserror"),
    "NonIntersectingPathException": ("matplotlib", "valueerror"), "OutOfBounds": ("matplotlib", "indexerror"),
    # numpy
    "AxisError": ("numpy", "valueerror"), "DTypePromotionError": ("numpy", "typeerror"),
    "LinAlgError": ("numpy", "valueerror"), "TooHardError": ("numpy", "runtimeerror"),
    # pandas
    "AbstractMethodError": ("pandas", "runtimeerror"), "DatabaseError": ("pandas", "oserror"),
    "DateParseError": ("pandas", "valueerror"), "DuplicateLabelError": ("pandas", "valueerror"),
    "EmptyDataError": ("pandas", "valueerror"), "IncompatibleFrequency": ("pandas", "typeerror"),
    "IntCastingNaNError": ("pandas", "valueerror"), "InvalidVersion": ("pandas", "valueerror"),
    "MergeError": ("pandas", "valueerror"), "NullFrequencyError": ("pandas", "valueerror"),
    "OptionError": ("pandas", "attributeerror"), "OutOfBoundsDatetime": ("pandas", "valueerror"),
    "OutOfBoundsTimedelta": ("pandas", "valueerror"), "ParserError": ("pandas", "valueerror"),
    "UnsortedIndexError": ("pandas", "keyerror"), "UnsupportedFunctionCall": ("pandas", "valueerror"),
    # scipy
    "ArffError": ("scipy", "oserror"), "ArpackError": ("scipy", "runtimeerror"),
    "ArpackNoConvergence": ("scipy", "runtimeerror"), "FitError": ("scipy", "runtimeerror"),
    "FortranEOFError": ("scipy", "typeerror"), "FortranFormattingError": ("scipy", "typeerror"),
    "ParseArffError": ("scipy", "oserror"), "QhullError": ("scipy", "runtimeerror"),
    "UNURANError": ("scipy", "runtimeerror"),
    # scikit-learn
    "InvalidParameterError": ("sklearn", "valueerror"), "NotFittedError": ("sklearn", "valueerror"),
    "UnsetMetadataPassedError": ("sklearn", "valueerror"),
    # not installed here: read at their sources
    "XGBoostError": ("xgboost", "valueerror"), "OutOfMemoryError": ("torch", "runtimeerror"),
}


def builtin_base(class_name: str) -> str | None:
    """The lower-case built-in base of a library exception class the table knows, else None."""
    entry = EXCEPTION_BASES.get(class_name)
    return entry[1] if entry else None
