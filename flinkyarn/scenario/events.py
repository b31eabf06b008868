"""
The scenario's own events, in the same stream as the cluster's: each step as it is taken (and
how it went wrong, if it did) and each expectation as it is checked — so a timeline or an event
log shows the cause beside its effects.
"""

from attrs import frozen

from yarnemu.events import Event

__all__ = ["StepTaken", "StepFailed", "ExpectationChecked"]


@frozen
class StepTaken(Event):
    """The scenario took the step written on ``line``."""

    kind = "scenario.step"
    component = "Scenario"

    line: int
    action: str
    description: str

    def subject(self):
        return f"step (line {self.line})"

    def describe(self):
        return self.description


@frozen
class StepFailed(Event):
    """The step written on ``line`` did not go through: ``error`` says why, as its client said."""

    kind = "scenario.step.failed"
    component = "Scenario"

    line: int
    action: str
    error: str

    def subject(self):
        return f"step (line {self.line})"

    def describe(self):
        return f"{self.action} failed: {self.error}"


@frozen
class ExpectationChecked(Event):
    """The expectation written on ``line`` was checked: ``passed``, and what was ``seen``."""

    kind = "scenario.expectation"
    component = "Scenario"

    line: int
    expected: str
    passed: bool
    optional: bool
    seen: str

    def subject(self):
        return f"expect (line {self.line})"

    def describe(self):
        verdict = "PASS" if self.passed else ("FAIL (optional)" if self.optional else "FAIL")
        text = f"{verdict} {self.expected}"
        return text if self.passed else f"{text}; seen {self.seen}"
