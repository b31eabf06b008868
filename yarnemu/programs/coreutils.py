"""
``sleep``, ``true`` and ``false`` as container programs, behaving as the coreutils commands do.
"""

import re

from yarnemu.nodemanager.programs import ContainerProgram

__all__ = ["SleepProgram", "TrueProgram", "FalseProgram", "parse_interval"]

_INTERVAL = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)\Z")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text):
    """
    :return: GNU ``sleep``'s interval in seconds for ``text`` (``"30"``, ``"1.5m"``, …).
    :raise ValueError: with sleep's message for anything else.
    """
    match = _INTERVAL.match(text)
    if match is None:
        raise ValueError(f"sleep: invalid time interval '{text}'")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


class SleepProgram(ContainerProgram):
    """Sleep for the sum of its arguments' intervals, then exit 0."""

    def start(self):
        args = self.context.args
        if not args:
            self._fail("sleep: missing operand")
            return
        try:
            seconds = sum(parse_interval(arg) for arg in args)
        except ValueError as error:
            self._fail(str(error))
            return
        self.context.clock.callLater(seconds, self.context.exit, 0)

    def _fail(self, message):
        self.context.write_stderr(message + "\n")
        self.context.exit(1, message)


class TrueProgram(ContainerProgram):
    """Exit 0 at once."""

    def start(self):
        self.context.exit(0)


class FalseProgram(ContainerProgram):
    """Exit 1 at once."""

    def start(self):
        self.context.exit(1)
