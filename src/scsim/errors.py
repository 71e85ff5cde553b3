"""Errors a user can cause and fix: the CLI prints them in one line and exits with status 2."""

from __future__ import annotations


class ScsimInputError(Exception):
    """Bad input from the user (scenario file, CLI option, folder). Never a bug in scsim."""


class ScenarioError(ScsimInputError):
    """A scenario that cannot be used: names the file, the key path and what was expected."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems  # (key path, what was expected)
        lines = [f"{source}: {key}: {msg}" if key else f"{source}: {msg}" for key, msg in problems]
        super().__init__("\n".join(lines))
