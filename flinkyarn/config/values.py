"""
Flink's value syntaxes: memory sizes, durations, booleans, Java numbers and ``;``-separated lists,
parsed and printed exactly as Flink's ``MemorySize``, ``TimeUtils``, ``ConfigurationUtils`` and
``StructuredOptionsSplitter`` do, so that what the emulator writes reads back the same in Flink.

Every parse error is a :class:`ValueError` whose message quotes the text.
"""

import math
import re
import struct
from decimal import Decimal, ROUND_HALF_UP, localcontext

from attrs import field, frozen

__all__ = [
    "MemorySize",
    "Duration",
    "JAVA_INT_MAX",
    "JAVA_LONG_MAX",
    "parse_memory_mb_default",
    "parse_bool",
    "parse_java_int",
    "parse_java_long",
    "parse_java_float",
    "parse_java_double",
    "format_java_double",
    "format_java_float",
    "to_java_float",
    "split_list",
    "join_list",
]

JAVA_INT_MAX = 2**31 - 1
"""``Integer.MAX_VALUE``."""

JAVA_LONG_MAX = 2**63 - 1
"""``Long.MAX_VALUE``."""

_JAVA_INT_MIN = -(2**31)
_JAVA_LONG_MIN = -(2**63)

# MemorySize.MemoryUnit: (labels, multiplier), in Flink's order; labels[1] is the printed one.
_MEMORY_UNITS = (
    (("b", "bytes"), 1),
    (("k", "kb", "kibibytes"), 1 << 10),
    (("m", "mb", "mebibytes"), 1 << 20),
    (("g", "gb", "gibibytes"), 1 << 30),
    (("t", "tb", "tebibytes"), 1 << 40),
)
_MEMORY_MULTIPLIERS = {
    label: multiplier for labels, multiplier in _MEMORY_UNITS for label in labels
}
_ALL_MEMORY_UNITS = " / ".join("(" + " | ".join(labels) + ")" for labels, _ in _MEMORY_UNITS)

# TimeUtils.TimeUnit: (name, first label first, nanoseconds per unit), in Flink's order.
_NANOS_PER = {"ns": 1, "µs": 10**3, "ms": 10**6, "s": 10**9, "min": 60 * 10**9,
              "h": 3600 * 10**9, "d": 86400 * 10**9}
_TIME_UNITS = (
    ("DAYS", ("d", "day", "days"), _NANOS_PER["d"]),
    ("HOURS", ("h", "hour", "hours"), _NANOS_PER["h"]),
    ("MINUTES", ("min", "m", "minute", "minutes"), _NANOS_PER["min"]),
    ("SECONDS", ("s", "sec", "secs", "second", "seconds"), _NANOS_PER["s"]),
    ("MILLISECONDS", ("ms", "milli", "millis", "millisecond", "milliseconds"), _NANOS_PER["ms"]),
    ("MICROSECONDS", ("µs", "micro", "micros", "microsecond", "microseconds"), _NANOS_PER["µs"]),
    ("NANOSECONDS", ("ns", "nano", "nanos", "nanosecond", "nanoseconds"), _NANOS_PER["ns"]),
)
_TIME_LABELS = {label: nanos for _, labels, nanos in _TIME_UNITS for label in labels}
_ALL_TIME_UNITS = ", ".join(f"{name}: ({' | '.join(labels)})" for name, labels, _ in _TIME_UNITS)
# formatWithHighestUnit tries the units from the finest up.
_FORMAT_UNITS = tuple(reversed([(labels[0], nanos) for _, labels, nanos in _TIME_UNITS]))


def _split_number(text, what):
    """
    Flink's shared front end of ``MemorySize.parseBytes`` and ``TimeUtils.parseDuration``: leading
    ASCII digits, then a unit label (trimmed, lower-cased).
    """
    if not isinstance(text, str):
        raise ValueError(f"Could not parse {what} {text!r}: not a string")
    trimmed = text.strip()
    if not trimmed:
        raise ValueError(f"Could not parse {what} {text!r}: "
                         "argument is an empty- or whitespace-only string")
    position = 0
    while position < len(trimmed) and "0" <= trimmed[position] <= "9":
        position += 1
    number, unit = trimmed[:position], trimmed[position:].strip().lower()
    if not number:
        raise ValueError(f"Could not parse {what} {text!r}: text does not start with a number")
    value = int(number)
    if value > JAVA_LONG_MAX:
        raise ValueError(f"Could not parse {what} {text!r}: The value '{number}' cannot be re "
                         "represented as 64bit number (numeric overflow).")
    return value, unit


@frozen(order=True)
class MemorySize:
    """
    A number of bytes, as Flink's ``MemorySize``: never negative, at most ``Long.MAX_VALUE``.

    ``str()`` gives Flink's ``toString`` (the largest unit that divides the size exactly, such as
    ``1728 mb``), which :meth:`parse` reads back.

    :ivar int bytes: the size in bytes.
    """

    bytes: int = field()

    @bytes.validator
    def _check_bytes(self, attribute, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"MemorySize bytes must be an int, not {value!r}")
        if not 0 <= value <= JAVA_LONG_MAX:
            raise ValueError(f"bytes must be >= 0 and fit in 64 bits, not {value}")

    @classmethod
    def of_mebibytes(cls, mebibytes):
        """:return: ``mebibytes`` MiB, as Flink's ``MemorySize.ofMebiBytes``."""
        return cls(mebibytes << 20)

    @classmethod
    def parse(cls, text):
        """
        Parse Flink's memory syntax: a whole number and an optional unit (``b``/``bytes``,
        ``k``/``kb``/``kibibytes``, ``m``/``mb``/``mebibytes``, ``g``/``gb``/``gibibytes``,
        ``t``/``tb``/``tebibytes``; case-insensitive, spaces allowed). A number without a unit
        is bytes. Flink accepts no fractions: ``1.5 gb`` is an error (write ``1536m``).

        :raise ValueError: naming the text, if it is not a memory size.
        """
        value, unit = _split_number(text, "memory size")
        if unit and unit not in _MEMORY_MULTIPLIERS:
            hint = ""
            if unit.startswith((".", ",")):
                hint = " (Flink memory sizes are whole numbers: write 1536m, not 1.5g)"
            raise ValueError(f"Could not parse memory size {text!r}: Memory size unit '{unit}' "
                             f"does not match any of the recognized units: {_ALL_MEMORY_UNITS}"
                             f"{hint}")
        result = value * _MEMORY_MULTIPLIERS.get(unit, 1)
        if result > JAVA_LONG_MAX:
            raise ValueError(f"Could not parse memory size {text!r}: The value '{text}' cannot "
                             "be re represented as 64bit number of bytes (numeric overflow).")
        return cls(result)

    @property
    def kibibytes(self):
        """The size in KiB, rounded down."""
        return self.bytes >> 10

    @property
    def mebibytes(self):
        """The size in MiB, rounded down (Flink's ``getMebiBytes``)."""
        return self.bytes >> 20

    @property
    def gibibytes(self):
        """The size in GiB, rounded down."""
        return self.bytes >> 30

    @property
    def tebibytes(self):
        """The size in TiB, rounded down."""
        return self.bytes >> 40

    def __add__(self, other):
        return MemorySize(self.bytes + other.bytes)

    def __sub__(self, other):
        """:raise ValueError: if ``other`` is larger (a size is never negative)."""
        return MemorySize(self.bytes - other.bytes)

    def multiply(self, factor):
        """
        :return: the size times ``factor``, rounded toward zero, computed as Flink's
            ``MemorySize.multiply`` does (``BigDecimal.valueOf(factor)``, i.e. on the shortest
            decimal form of the double): for ``0.4f`` widened to a double that is
            ``0.4000000059604645``, which is why 1280 MiB × 0.4 is 536870920 bytes in Flink.
        """
        if factor < 0:
            raise ValueError(f"multiplier must be >= 0, not {factor}")
        with localcontext() as context:
            context.prec = 80
            product = Decimal(self.bytes) * Decimal(repr(float(factor)))
        if product > JAVA_LONG_MAX:
            raise ArithmeticError("long overflow")
        return MemorySize(int(product))

    def __str__(self):
        # The unit just below the first one that does not divide the size; when all do (0, or a
        # multiple of 1 TiB) Flink falls back to bytes.
        chosen = _MEMORY_UNITS[0]
        for index, (labels, multiplier) in enumerate(_MEMORY_UNITS):
            if self.bytes % multiplier:
                chosen = _MEMORY_UNITS[max(index - 1, 0)]
                break
        labels, multiplier = chosen
        return f"{self.bytes // multiplier} {labels[1]}"

    def to_human_readable(self):
        """
        :return: Flink's ``toHumanReadableString``, as its memory error messages print sizes:
            ``1.688gb (1811939328 bytes)``, ``192.000mb (201326592 bytes)``, ``0 bytes``.
        """
        chosen = None
        for labels, multiplier in _MEMORY_UNITS:
            if self.bytes > multiplier:
                chosen = (labels, multiplier)
        if chosen is None or chosen[1] == 1:
            return f"{self.bytes} bytes"
        labels, multiplier = chosen
        # Java's %.3f rounds half up on the exact value of the double.
        approximate = Decimal(self.bytes / multiplier).quantize(Decimal("0.001"), ROUND_HALF_UP)
        return f"{approximate}{labels[1]} ({self.bytes} bytes)"


MemorySize.ZERO = MemorySize(0)
MemorySize.MAX_VALUE = MemorySize(JAVA_LONG_MAX)


def parse_memory_mb_default(text):
    """
    Parse a memory size whose unit defaults to MiB, as ``FlinkYarnSessionCli`` reads ``-jm`` and
    ``-tm``: ``1024`` is 1024 MiB, ``1g`` is 1 GiB.

    :raise ValueError: naming the text, if it is not a memory size.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"Could not parse memory size {text!r}: "
                         "argument is an empty- or whitespace-only string")
    trimmed = text.strip()
    has_unit = bool(trimmed.lstrip("0123456789").strip())
    return MemorySize.parse(text if has_unit else trimmed + "m")


@frozen(order=True)
class Duration:
    """
    A non-negative span of time in nanoseconds, as the ``java.time.Duration`` values of Flink's
    duration options.

    ``str()`` gives Flink's ``TimeUtils.formatWithHighestUnit`` (``10 s``, ``5 min``, ``0 ms``),
    which :meth:`parse` reads back.

    :ivar int nanos: the duration in nanoseconds.
    """

    nanos: int = field()

    @nanos.validator
    def _check_nanos(self, attribute, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Duration nanos must be an int, not {value!r}")
        if value < 0:
            raise ValueError(f"A duration is never negative, not {value} ns")

    @classmethod
    def of_millis(cls, millis):
        return cls(millis * _NANOS_PER["ms"])

    @classmethod
    def of_seconds(cls, seconds):
        return cls(seconds * _NANOS_PER["s"])

    @classmethod
    def of_minutes(cls, minutes):
        return cls(minutes * _NANOS_PER["min"])

    @classmethod
    def of_hours(cls, hours):
        return cls(hours * _NANOS_PER["h"])

    @classmethod
    def parse(cls, text):
        """
        Parse Flink's duration syntax (``TimeUtils.parseDuration``): a whole number and an
        optional unit label: ``d``/``day(s)``, ``h``/``hour(s)``, ``min``/``m``/``minute(s)``,
        ``s``/``sec(s)``/``second(s)``, ``ms``/``milli(s)``/``millisecond(s)``,
        ``µs``/``micro(s)``/``microsecond(s)``, ``ns``/``nano(s)``/``nanosecond(s)``. A number
        without a unit is milliseconds.

        :raise ValueError: naming the text, if it is not a duration.
        """
        value, unit = _split_number(text, "duration")
        if not unit:
            return cls(value * _NANOS_PER["ms"])
        if unit not in _TIME_LABELS:
            raise ValueError(f"Could not parse duration {text!r}: Time interval unit label "
                             f"'{unit}' does not match any of the recognized units: "
                             f"{_ALL_TIME_UNITS}")
        nanos = value * _TIME_LABELS[unit]
        if nanos // _NANOS_PER["s"] > JAVA_LONG_MAX:
            raise ValueError(f"Could not parse duration {text!r}: too long for a Java Duration")
        return cls(nanos)

    @property
    def millis(self):
        """The duration in whole milliseconds, rounded down (Java's ``Duration.toMillis``)."""
        return self.nanos // _NANOS_PER["ms"]

    @property
    def seconds(self):
        """The duration in seconds as a float, for ``IReactorTime.callLater``."""
        return self.nanos / _NANOS_PER["s"]

    def __str__(self):
        label, nanos = "ms", _NANOS_PER["ms"]
        previous = None
        for unit_label, unit_nanos in _FORMAT_UNITS:
            if self.nanos % unit_nanos:
                label, nanos = previous or (unit_label, unit_nanos)
                break
            previous = (unit_label, unit_nanos)
        return f"{self.nanos // nanos} {label}"


Duration.ZERO = Duration(0)


def parse_bool(text):
    """
    Parse ``true`` or ``false`` in any case, as Flink's ``ConfigurationUtils.convertToBoolean``.
    Python booleans pass through.

    :raise ValueError: for anything else (``yes``, ``1`` and ``on`` are not booleans to Flink).
    """
    if isinstance(text, bool):
        return text
    normalized = str(text).strip().lower()
    if normalized == "true":
        return True
    if normalized == "false":
        return False
    raise ValueError(f"Unrecognized option for boolean: {text}. "
                     "Expected either true or false(case insensitive)")


_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_JAVA_FLOAT_RE = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)\Z")


def _parse_integral(text, low, high, kind):
    if isinstance(text, bool):
        raise ValueError(f"For input string: \"{text}\" (expected {kind})")
    if isinstance(text, int):
        value = text
    else:
        trimmed = str(text).strip()
        if not _INT_RE.match(trimmed):
            raise ValueError(f"For input string: \"{text}\" (expected {kind})")
        value = int(trimmed)
    if not low <= value <= high:
        raise ValueError(f"Value {value} is out of range for {kind} [{low}, {high}]")
    return value


def parse_java_int(text):
    """:return: ``text`` as a Java ``int`` (``Integer.parseInt``). :raise ValueError: if not."""
    return _parse_integral(text, _JAVA_INT_MIN, JAVA_INT_MAX, "an int")


def parse_java_long(text):
    """:return: ``text`` as a Java ``long`` (``Long.parseLong``). :raise ValueError: if not."""
    return _parse_integral(text, _JAVA_LONG_MIN, JAVA_LONG_MAX, "a long")


def parse_java_double(text):
    """
    :return: ``text`` as a Java ``double`` (``Double.parseDouble``: decimals, exponents, an
        optional ``f``/``d`` suffix, ``NaN``, ``Infinity``).
    :raise ValueError: if it is not one.
    """
    if isinstance(text, bool):
        raise ValueError(f"For input string: \"{text}\" (expected a number)")
    if isinstance(text, (int, float)):
        return float(text)
    trimmed = str(text).strip()
    if not _JAVA_FLOAT_RE.match(trimmed):
        raise ValueError(f"For input string: \"{text}\" (expected a number)")
    if trimmed[-1] in "fFdD":
        trimmed = trimmed[:-1]
    return float(trimmed)


def to_java_float(value):
    """:return: ``value`` rounded to the nearest 32-bit float, as Java's ``(float)`` cast."""
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def parse_java_float(text):
    """
    :return: ``text`` as a Java ``float`` (``Float.parseFloat``), as a Python float holding the
        32-bit value: ``0.1`` reads as ``0.10000000149011612``, which is what Flink's memory
        fractions compute with.
    :raise ValueError: if it is not a number.
    """
    return to_java_float(parse_java_double(text))


def format_java_double(value):
    """:return: Java's ``Double.toString(value)``: ``1.0``, ``0.1``, ``1.0E7``, ``1.0E-4``."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    return _java_decimal_form(repr(value), abs(value))


def format_java_float(value):
    """:return: Java's ``Float.toString`` of ``value`` taken as a 32-bit float: ``0.4``, ``0.1``."""
    value = to_java_float(value)
    if math.isnan(value) or math.isinf(value) or value == 0:
        return format_java_double(value)
    for digits in range(1, 10):
        shortest = f"{value:.{digits}g}"
        if to_java_float(float(shortest)) == value:
            return _java_decimal_form(repr(float(shortest)), abs(value))
    return format_java_double(value)


def _java_decimal_form(shortest, magnitude):
    # Java prints plainly in [1e-3, 1e7) and as d.dddE±n otherwise, always with a fraction digit.
    sign, digits, exponent = Decimal(shortest).as_tuple()
    digits = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(Decimal(shortest).as_tuple().digits) + exponent  # digits before the point
    if 1e-3 <= magnitude < 1e7:
        if point <= 0:
            text = "0." + "0" * -point + digits
        elif point >= len(digits):
            text = digits + "0" * (point - len(digits)) + ".0"
        else:
            text = digits[:point] + "." + digits[point:]
    else:
        text = digits[0] + "." + (digits[1:] or "0") + f"E{point - 1}"
    return ("-" if sign else "") + text


def split_list(text, delimiter=";"):
    """
    Split a list value as Flink's ``StructuredOptionsSplitter.splitEscaped``: items separated by
    ``delimiter``; an item may be quoted with ``'`` or ``"`` (a doubled quote inside stands for
    one); unquoted items are trimmed; an empty item only arises between two delimiters.

    :raise ValueError: for an unclosed quote or text after a closing quote.
    """
    if isinstance(text, (list, tuple)):
        return [str(item) for item in text]
    text = str(text)
    tokens = []  # (kind, string, position); kind is "quoted", "plain" or "delimiter"
    cursor = 0
    while cursor < len(text):
        character = text[cursor]
        if character in "'\"":
            value, cursor = _consume_quoted(text, cursor)
            tokens.append(("quoted", value, cursor))
            continue
        if character == delimiter:
            tokens.append(("delimiter", character, cursor))
        elif not character.isspace():
            end = cursor
            while end < len(text) and text[end] != delimiter:
                if text[end] in "'\"":
                    raise ValueError(f"Could not split string {text!r}. "
                                     f"Illegal quoting at position: {end}")
                end += 1
            tokens.append(("plain", text[cursor:end].strip(), cursor))
            cursor = end
            continue
        cursor += 1
    items = []
    for index, (kind, value, position) in enumerate(tokens):
        following = tokens[index + 1][0] if index + 1 < len(tokens) else None
        if kind == "quoted":
            if following not in (None, "delimiter"):
                raise ValueError(f"Could not split string {text!r}. "
                                 f"Illegal quoting at position: {tokens[index + 1][2] - 1}")
            items.append(value)
        elif kind == "plain":
            items.append(value)
        elif following == "delimiter":
            items.append("")
    return items


def _consume_quoted(text, start):
    quote = text[start]
    parts = []
    cursor = start + 1
    while cursor < len(text):
        if text[cursor] == quote:
            if cursor + 1 < len(text) and text[cursor + 1] == quote:
                parts.append(quote)
                cursor += 2
                continue
            return "".join(parts), cursor + 1
        parts.append(text[cursor])
        cursor += 1
    raise ValueError(f"Could not split string {text!r}. Quoting was not closed properly.")


def join_list(items, delimiter=";"):
    """
    :return: ``items`` joined by ``delimiter``, each quoted with ``'`` when it contains the
        delimiter or a quote (Flink's ``escapeWithSingleQuote``), so that :func:`split_list`
        reads the same items back.
    """
    rendered = []
    for item in items:
        item = str(item)
        if delimiter in item or "'" in item or '"' in item:
            item = "'" + item.replace("'", "''") + "'"
        rendered.append(item)
    return delimiter.join(rendered)
