"""
The scenario format's value types: durations (``"0s"``, ``"500ms"``, ``"90s"``, ``"1m30s"``,
``"2h"``), memory sizes in MB (``"768m"``, ``"1g"``, ``1024``) and comparisons (a bare value means
equal; or ``"== N"``, ``">= N"``, ``"<= N"``, ``"> N"``, ``"< N"``).

Parsers raise ``ValueError`` with a message saying what was expected; the reader adds the file and
line.
"""

import operator
import re

from attrs import frozen

__all__ = ["parse_duration_ms", "format_duration", "parse_size_mb", "Comparison"]

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_UNIT_ORDER = ["d", "h", "m", "s", "ms"]
_SIZE = re.compile(r"(\d+)\s*(?:([mMgGtT])[bB]?)?")
_SIZE_MB = {None: 1, "m": 1, "g": 1024, "t": 1024 * 1024}


def parse_duration_ms(text):
    """
    :param text: a duration: one or more ``<number><unit>`` parts, units ``ms``, ``s``, ``m``,
        ``h``, ``d``, largest first (``"1m30s"``); ``0`` alone is also accepted.
    :return: the duration in whole milliseconds.
    :raise ValueError: for anything else (a bare number other than 0 is refused: its unit would
        be a guess).
    """
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise ValueError(f"expected a duration such as 90s or 1m30s, got {_shown(text)}")
    if text == 0 or text == "0":
        return 0
    if isinstance(text, int):
        raise ValueError(f"a duration needs a unit (ms, s, m, h or d), got {text}")
    compact = text.strip()
    total, position, last_rank = 0.0, 0, -1
    for match in _DURATION_PART.finditer(compact):
        if match.start() != position:
            break
        rank = _UNIT_ORDER.index(match.group(2))
        if rank <= last_rank:
            raise ValueError(f"duration units must go from largest to smallest, once each: {text!r}")
        last_rank = rank
        total += float(match.group(1)) * _UNIT_MS[match.group(2)]
        position = match.end()
    if position == 0 or position != len(compact):
        raise ValueError(f"expected a duration such as 500ms, 90s, 1m30s or 2h, got {text!r}")
    return int(round(total))


def format_duration(milliseconds):
    """:return: the shortest duration text for ``milliseconds`` (``90000`` → ``"1m30s"``)."""
    if milliseconds == 0:
        return "0s"
    parts = []
    rest = int(milliseconds)
    for unit in _UNIT_ORDER:
        count, rest = divmod(rest, _UNIT_MS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def parse_size_mb(value):
    """
    :param value: an integer (MB) or a size text: ``768m``, ``768mb``, ``1g``, ``1024``.
    :return: the size in MB.
    :raise ValueError: for anything else.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a memory size such as 768m or 1g, got {value}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"a memory size cannot be negative: {value}")
        return value
    if isinstance(value, str):
        match = _SIZE.fullmatch(value.strip())
        if match:
            unit = match.group(2).lower() if match.group(2) else None
            return int(match.group(1)) * _SIZE_MB[unit]
    raise ValueError(f"expected a memory size such as 768m, 1g or 1024 (MB), got {_shown(value)}")


_OPERATORS = {"==": operator.eq, ">=": operator.ge, "<=": operator.le, ">": operator.gt,
              "<": operator.lt}
_COMPARISON = re.compile(r"(==|>=|<=|>|<)\s*(\S.*)")


@frozen
class Comparison:
    """
    An expected value: ``value`` compared with ``operator`` (``==`` for a bare value).

    :ivar str operator: one of ``==``, ``>=``, ``<=``, ``>``, ``<``.
    :ivar value: what is compared against (for ordering operators, a number).
    """

    operator: str
    value: object

    @classmethod
    def parse(cls, raw, convert=None):
        """
        :param raw: a bare value, or a string ``"OP VALUE"``.
        :param convert: applied to the value (a bare one or the text after the operator); may
            raise ``ValueError``.
        :raise ValueError: for an ordering comparison of something that is not a number.
        """
        if isinstance(raw, str):
            match = _COMPARISON.fullmatch(raw.strip())
            if match:
                op, text = match.groups()
                value = convert(text) if convert else _number(text)
                if op != "==" and not isinstance(value, (int, float)):
                    raise ValueError(f"{op} compares numbers, got {text!r}")
                return cls(op, value)
        return cls("==", convert(raw) if convert else raw)

    def holds(self, seen):
        """:return: whether ``seen`` satisfies the comparison."""
        if seen is None:
            return False
        try:
            return bool(_OPERATORS[self.operator](seen, self.value))
        except TypeError:
            return False

    def __str__(self):
        return str(self.value) if self.operator == "==" else f"{self.operator} {self.value}"


def _number(text):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _shown(value):
    return repr(value) if isinstance(value, str) else f"{value} ({type(value).__name__})"
