"""``[tool.nbcrash]`` in ``pyproject.toml``: the audit's settings, found as ruff finds its own.

The nearest ``pyproject.toml`` with a ``[tool.nbcrash]`` table, from the first
audited path up to the root, is used; options given on the command line win.
Keys (the command-line option names): ``select``, ``ignore``, ``fail-on``,
``baseline`` (relative to the pyproject's folder), ``include-hidden``, ``quiet``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

KEYS = ("select", "ignore", "fail-on", "baseline", "include-hidden", "quiet")


class ConfigError(ValueError):
    """The settings cannot be read or name an unknown key: a usage error."""


@dataclass
class AuditConfig:
    """The settings read from one ``pyproject.toml`` (empty when there is none)."""

    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def baseline(self) -> str | None:
        value = self.values.get("baseline")
        if not value or self.path is None:
            return value
        return os.path.join(os.path.dirname(self.path), value)


def find_pyproject(start: str) -> str | None:
    """The nearest ``pyproject.toml`` holding ``[tool.nbcrash]``, from ``start`` upwards."""
    here = os.path.abspath(start if start not in ("-", "") else ".")
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate) and "nbcrash" in _read_text(candidate):
            if "nbcrash" in (_parse(candidate).get("tool") or {}):
                return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_config(start: str) -> AuditConfig:
    """The settings for an audit of ``start`` (a path given on the command line)."""
    path = find_pyproject(start)
    if path is None:
        return AuditConfig()
    table = _parse(path)["tool"]["nbcrash"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nbcrash] must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [tool.nbcrash]: {', '.join(unknown)} "
                          f"(known: {', '.join(KEYS)})")
    return AuditConfig(path=path, values=dict(table))


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _parse(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
