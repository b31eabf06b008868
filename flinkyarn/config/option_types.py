"""
The value types of Flink's configuration options: how each reads a configuration string and
writes a value back (Flink's ``ConfigurationUtils.convertValue`` and ``convertToString``).

Integer, Long, Float and Double are Java's (a ``Float`` is rounded to 32 bits, as Flink's memory
fractions are); Duration and MemorySize use :mod:`flinkyarn.config.values`; lists are
``;``-separated; a choice is Flink's case-insensitive enum matching.
"""

from collections.abc import Callable
from typing import Any

from attrs import frozen

from flinkyarn.config.values import (
    Duration,
    MemorySize,
    format_java_double,
    format_java_float,
    join_list,
    parse_bool,
    parse_java_double,
    parse_java_float,
    parse_java_int,
    parse_java_long,
    split_list,
)
from flinkyarn.config.version import FlinkVersion

__all__ = [
    "ValueType",
    "ChoiceType",
    "INT",
    "LONG",
    "FLOAT",
    "DOUBLE",
    "BOOLEAN",
    "STRING",
    "DURATION",
    "MEMORY",
    "LIST",
    "VERSION",
    "choice",
    "render_value",
]


@frozen
class ValueType:
    """
    :ivar str name: the Java type name, as Flink's documentation shows it.
    :ivar parse: configuration string → value; raises :class:`ValueError`.
    :ivar render: value → configuration string.
    """

    name: str
    parse: Callable[[str], Any]
    render: Callable[[Any], str]


@frozen
class ChoiceType:
    """
    One of a fixed set of strings, matched case-insensitively (Flink's ``convertToEnum`` and the
    ``toLowerCase()`` switches of its strategy loaders); the value is the choice as spelled here.

    :ivar str name: what the choices are, for messages.
    :ivar tuple choices: the accepted values, aliases included.
    """

    name: str
    choices: tuple

    def parse(self, text):
        normalized = str(text).strip().lower()
        for candidate in self.choices:
            if candidate.lower() == normalized:
                return candidate
        raise ValueError(f"Could not parse value for {self.name}. "
                         f"Expected one of: [{', '.join(self.choices)}]")

    def render(self, value):
        return str(value)


def choice(name, *choices):
    """:return: a :class:`ChoiceType` accepting ``choices``."""
    return ChoiceType(name, tuple(choices))


def _string(text):
    if not isinstance(text, str):
        raise ValueError(f"expected a string, not {text!r}")
    return text


def _render_bool(value):
    return "true" if value else "false"


INT = ValueType("Integer", parse_java_int, str)
LONG = ValueType("Long", parse_java_long, str)
FLOAT = ValueType("Float", parse_java_float, format_java_float)
DOUBLE = ValueType("Double", parse_java_double, format_java_double)
BOOLEAN = ValueType("Boolean", parse_bool, _render_bool)
STRING = ValueType("String", _string, str)
DURATION = ValueType("Duration", Duration.parse, str)
MEMORY = ValueType("MemorySize", MemorySize.parse, str)
LIST = ValueType("List<String>", split_list, join_list)
VERSION = ValueType("FlinkVersion", FlinkVersion.parse, str)


def render_value(value):
    """
    :return: the configuration string of a Python value, as Flink's ``convertToString`` writes
        the corresponding Java value: ``true``, ``1.0``, ``1728 mb``, ``10 s``, ``a;b``.
    :raise TypeError: for a value that has no configuration string.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _render_bool(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_java_double(value)
    if isinstance(value, (MemorySize, Duration, FlinkVersion)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return join_list(value)
    raise TypeError(f"Cannot write {value!r} into a Flink configuration")
