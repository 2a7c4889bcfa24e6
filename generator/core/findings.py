"""The one message shape every stage reports in: `file:line: field: what was expected, got what`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.core.characters import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, pointing at the line and field where it was made."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """One line, with every control or invisible character it quotes written as an escape."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return printable(f"{where}:{field} {prefix}{self.message}")


class PatternError(ValueError):
    """Raised by the core when input cannot be used; carries every finding."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


def errors_in(findings: list[Finding]) -> list[Finding]:
    """The findings that must stop a build."""
    return [f for f in findings if f.severity == "error"]


def format_field(path: tuple[str | int, ...]) -> str:
    """Render a data path as a breadcrumb: ('forces', 2, 'en') -> 'forces[2].en'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
