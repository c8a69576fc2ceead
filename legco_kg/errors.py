"""The small exception family the library raises; the CLI turns each into one line."""
from __future__ import annotations


class LegcoError(Exception):
    """Base class of every error legco-kg reports to a user."""


class InputError(LegcoError):
    """A source file cannot be used: names the file and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class LayoutError(InputError):
    """A document looks like a known layout but breaks its structure (e.g. a truncated reply)."""


class OutputError(LegcoError):
    """The output folder holds no usable build."""
