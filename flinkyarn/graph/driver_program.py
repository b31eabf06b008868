"""
:class:`DriverProgram`: what the one operator of a FLIP-40 driver job runs — a user program's
``main(args)`` — travelling inside the driver's JobGraph like a simulation spec travels with the
other operators.

The program is a built-in one (``wordcount``) or a Python file; a file travels as its text
(``source``) under its base name (``entry`` is ``three_jobs.py:main``), the way Flink's client
ships the user jar with a JobGraph, so that the TaskManager that runs the driver needs nothing
from the client's disk.  ``configuration`` is the Flink configuration ``main()``'s execution
environments start from.
"""

import re

from attrs import field, frozen

from yarnemu.records.immutable import frozen_tuple

__all__ = ["DriverProgram"]

_FILE_ENTRY = re.compile(r"[^/\\:]+\.py:[A-Za-z_][A-Za-z0-9_]*\Z")


def _pairs(value):
    """A mapping (or pairs) as a tuple of ``(key, value)`` sorted by key: hashable, ordered."""
    return tuple(sorted(dict(value or {}).items()))


def _entry(instance, attribute, value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"entry must name a program, got {value!r}")


@frozen
class DriverProgram:
    """
    :ivar str entry: a built-in program's name, or ``<file name>.py:<function>``.
    :ivar source: the program file's text (``None`` for a built-in program).
    :ivar tuple args: ``main``'s arguments.
    :ivar tuple configuration: ``(key, value)`` pairs (strings, sorted by key) of the
        configuration ``main()`` runs with; given as a mapping or pairs.
    :raise ValueError: for an empty entry, a file entry without its source, or a file entry
        that is not ``<name>.py:<function>``.
    """

    entry: str = field(validator=_entry)
    source: str | None = None
    args: tuple = field(default=(), converter=frozen_tuple)
    configuration: tuple = field(default=(), converter=_pairs)

    def __attrs_post_init__(self):
        is_file = self.entry.endswith(".py") or ".py:" in self.entry
        if is_file and not _FILE_ENTRY.match(self.entry):
            raise ValueError(f"a program file entry is <name>.py:<function>, got {self.entry!r}")
        if is_file and self.source is None:
            raise ValueError(f"the program file {self.entry} travels without its source")
        if not is_file and self.source is not None:
            raise ValueError(f"the built-in program {self.entry} has no source")
        if not all(isinstance(arg, str) for arg in self.args):
            raise ValueError("the program's arguments must be strings")
        if not all(isinstance(key, str) and isinstance(value, str)
                   for key, value in self.configuration):
            raise ValueError("the program's configuration maps strings to strings")

    @property
    def file_name(self):
        """The program file's base name (``three_jobs.py``), or ``None`` for a built-in."""
        return self.entry.partition(":")[0] if self.source is not None else None

    @property
    def function(self):
        """The entry function's name (``main``), or ``None`` for a built-in."""
        return self.entry.partition(":")[2] if self.source is not None else None
