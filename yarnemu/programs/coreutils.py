"""
``sleep``, ``true`` and ``false`` as container programs, behaving as the coreutils commands do.
"""

import math
import re

from yarnemu.nodemanager.programs import ContainerProgram

__all__ = ["SleepProgram", "TrueProgram", "FalseProgram", "parse_interval"]

# What strtod reads (decimal, with an exponent; "inf", "infinity"), then one unit suffix.
_INTERVAL = re.compile(
    r"\+?((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)([smhd]?)\Z", re.IGNORECASE,
)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text):
    """
    :return: GNU ``sleep``'s interval in seconds for ``text`` (``"30"``, ``"1.5m"``, ``"1e3"``,
        ``"infinity"``, …); ``math.inf`` for an infinite one.
    :raise ValueError: with sleep's message for anything else.
    """
    match = _INTERVAL.match(text)
    if match is None or (match.group(2) and match.group(2) not in _UNIT_SECONDS):
        raise ValueError(f"sleep: invalid time interval '{text}'")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


class SleepProgram(ContainerProgram):
    """
    Sleep for the sum of its arguments' intervals, then exit 0; an infinite interval sleeps until
    the container is stopped.  Invalid arguments are all reported, and it exits 1.
    """

    def start(self):
        args = self.context.args
        if not args:
            self._fail(["sleep: missing operand"])
            return
        seconds = 0.0
        errors = []
        for arg in args:
            try:
                seconds += parse_interval(arg)
            except ValueError as error:
                errors.append(str(error))
        if errors:
            self._fail(errors)
        elif not math.isinf(seconds):
            self.context.clock.callLater(seconds, self.context.exit, 0)

    def _fail(self, messages):
        self.context.write_stderr(
            "".join(message + "\n" for message in messages)
            + "Try 'sleep --help' for more information.\n"
        )
        self.context.exit(1, "\n".join(messages))


class TrueProgram(ContainerProgram):
    """Exit 0 at once, whatever its arguments."""

    def start(self):
        self.context.exit(0)


class FalseProgram(ContainerProgram):
    """Exit 1 at once, whatever its arguments."""

    def start(self):
        self.context.exit(1)
