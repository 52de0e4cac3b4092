"""What a step kept and dropped, and which inputs were bad: printed and saved as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO


@dataclass
class Count:
    """One line of a step's funnel: what entered, what was kept, what was dropped."""

    stage: str
    unit: str
    kept: int
    dropped: int


@dataclass
class BadInput:
    """An input the step could not use, and why; counted, never fatal."""

    where: str
    reason: str


@dataclass
class StepReport:
    step: str
    counts: list[Count] = field(default_factory=list)
    bad_inputs: list[BadInput] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def count(self, stage: str, unit: str, kept: int, dropped: int) -> None:
        self.counts.append(Count(stage, unit, int(kept), int(dropped)))

    def bad(self, where: str, reason: str) -> None:
        self.bad_inputs.append(BadInput(str(where), str(reason)[:500]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "counts": [asdict(c) for c in self.counts],
            "bad_inputs": [asdict(b) for b in self.bad_inputs],
            "n_bad_inputs": len(self.bad_inputs),
            "notes": self.notes,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1, default=str) + "\n", encoding="utf-8")

    def print(self, out: TextIO, max_bad: int = 20) -> None:
        """Print the funnel, one line a stage, then the first bad inputs."""
        print(f"[{self.step}]", file=out)
        for c in self.counts:
            print(f"  {c.stage}: kept {c.kept} {c.unit}, dropped {c.dropped}", file=out)
        if self.bad_inputs:
            print(f"  bad inputs: {len(self.bad_inputs)}", file=out)
            for b in self.bad_inputs[:max_bad]:
                print(f"    {b.where}: {b.reason}", file=out)
            if len(self.bad_inputs) > max_bad:
                print(f"    ... {len(self.bad_inputs) - max_bad} more in the step report", file=out)


def load_report(path: Path) -> dict[str, Any] | None:
    """A saved step report, or None when the step has not run."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
