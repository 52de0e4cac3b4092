"""The audit's settings: the command line over ``[tool.nbcrash]`` over the defaults."""
from __future__ import annotations

import argparse
from dataclasses import dataclass

from .codes import CodeFilter, parse_selectors, unknown_selectors
from .config import AuditConfig, ConfigError, load_config

FAIL_ON = ("crash", "finding", "never")


class SettingsError(ValueError):
    """A setting is unknown or has a bad value: a usage error (exit 2)."""


@dataclass
class AuditSettings:
    codes: CodeFilter
    fail_on: str = "finding"
    baseline: str | None = None
    include_hidden: bool = False
    quiet: bool = False


def resolve_settings(args: argparse.Namespace) -> AuditSettings:
    """The settings of the run ``args`` describes (its paths locate the pyproject.toml)."""
    try:
        config = AuditConfig() if getattr(args, "isolated", False) else load_config(args.paths[0])
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    select = parse_selectors(args.select) if args.select else _listed(config, "select")
    ignore = parse_selectors(args.ignore) if args.ignore else _listed(config, "ignore")
    unknown = unknown_selectors(select + ignore)
    if unknown:
        raise SettingsError(f"unknown code(s): {', '.join(unknown)} "
                            "(see `nbcrash audit --help` for the codes)")
    fail_on = args.fail_on or config.get("fail-on", "finding")
    if fail_on not in FAIL_ON:
        raise SettingsError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    return AuditSettings(
        codes=CodeFilter(tuple(select), tuple(ignore)),
        fail_on=fail_on,
        baseline=args.baseline or config.baseline(),
        include_hidden=bool(args.include_hidden or config.get("include-hidden", False)),
        quiet=bool(args.quiet if args.quiet is not None else config.get("quiet", False)),
    )


def _listed(config: AuditConfig, key: str) -> list[str]:
    value = config.get(key, [])
    if not isinstance(value, (list, str)):
        raise SettingsError(f"{config.path}: {key} must be a list of codes")
    return parse_selectors(value)
