"""
Values rendered the way Hadoop's ``yarn`` command renders them in Java, so that the emulator's
CLI prints byte for byte what the real one prints for the same report:

* :func:`percent`: ``new DecimalFormat("###.##%")`` (progress);
* :func:`java_set`: ``HashSet<String>.toString()``, in ``HashSet``'s own iteration order;
* :func:`enum_set`: ``EnumSet.toString()``, in the enum's declaration order;
* :func:`java_float`: ``Float.toString(float)`` (CPU utilization);
* :func:`health_update_time`: commons-lang ``DateFormatUtils.format(date,
  "E dd/MMM/yy hh:mm:ss:SSzz")`` (a node's ``Last-Health-Update``);
* :func:`resource`: ``Resource.toString()``, ``<memory:M, vCores:V>``;
* :func:`java_string`: ``String.valueOf``, which prints a missing value as ``null``.
"""

import datetime
import math
import struct
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = [
    "percent",
    "java_set",
    "enum_set",
    "java_float",
    "health_update_time",
    "resource",
    "java_string",
]

_HUNDREDTH = Decimal("0.01")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def percent(value):
    """
    :param value: a percentage, 0–100, as the RM REST API's ``progress`` holds it (the
        report's ``float`` progress times 100).
    :return: what ``DecimalFormat("###.##%")`` prints for the report's progress, the ``float``
        ``value / 100``: at least one integer digit, at most two fraction digits, rounded
        half-even on the float's exact binary value, no trailing zeros, no grouping: ``0%``,
        ``0.5%``, ``53.79%``, ``100%``.
    """
    fraction = Decimal(_to_float32(float(value) / 100))
    rounded = (fraction * 100).quantize(_HUNDREDTH, rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        rounded = Decimal(0)  # no "-0%"
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def _java_string_hash(text):
    h = 0
    for unit in _utf16_units(text):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h


def _utf16_units(text):
    data = text.encode("utf-16-be", "surrogatepass")
    return (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))


def java_hash_set_order(items):
    """
    :param items: strings in the order they are added to a ``new HashSet<String>()``.
    :return: the distinct strings in the order that set iterates them: by bucket of the final
        table (``hash ^ hash >>> 16`` masked by its capacity, 16 doubled whenever the size passes
        three quarters of it), and in insertion order within a bucket.
    """
    distinct = list(dict.fromkeys(items))
    capacity = 16
    while len(distinct) > capacity * 3 // 4:
        capacity *= 2
    def bucket(text):
        h = _java_string_hash(text)
        return (h ^ (h >> 16)) & (capacity - 1)
    return sorted(distinct, key=bucket)  # sorted() is stable: insertion order within a bucket


def java_set(items):
    """:return: ``HashSet<String>.toString()`` of ``items`` added in order: ``[A, B]``."""
    return "[" + ", ".join(java_hash_set_order(items)) + "]"


def enum_set(members, enum_type):
    """:return: ``EnumSet.toString()``: ``members`` in ``enum_type``'s declaration order."""
    chosen = set(members)
    return "[" + ", ".join(str(m) for m in enum_type if m in chosen) + "]"


def _to_float32(value):
    return struct.unpack(">f", struct.pack(">f", value))[0]


def java_float(value):
    """
    :return: ``Float.toString((float) value)``: the shortest digits that identify the float,
        in plain notation from 10\\ :sup:`-3` up to 10\\ :sup:`7` (``0.0``, ``0.0166``,
        ``5.0``) and ``d.dddE±n`` outside it (``1.0E-4``).
    """
    f = _to_float32(float(value))
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "-0.0" if math.copysign(1.0, f) < 0 else "0.0"
    for precision in range(1, 10):
        text = f"{f:.{precision - 1}e}"
        if _to_float32(float(text)) == f:
            break
    mantissa, exponent = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent)
    if 1e-3 <= abs(f) < 1e7:
        if exponent >= 0:
            whole = digits[:exponent + 1].ljust(exponent + 1, "0")
            fraction = digits[exponent + 1:] or "0"
        else:
            whole = "0"
            fraction = "0" * (-exponent - 1) + digits
        return f"{sign}{whole}.{fraction}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def health_update_time(epoch_ms, tz=None):
    """
    :param int epoch_ms: a time in epoch milliseconds.
    :param tz: a ``tzinfo``; ``None``: the local time zone, as the JVM's default.
    :return: the time as ``E dd/MMM/yy hh:mm:ss:SSzz`` in English: e.g.
        ``Tue 01/Jan/19 03:04:05:06UTC`` (a 12-hour clock without AM/PM, milliseconds padded
        to two digits, the zone's short name).
    """
    epoch_ms = int(epoch_ms)
    moment = datetime.datetime.fromtimestamp(epoch_ms // 1000, tz=datetime.timezone.utc)
    moment = moment.astimezone(tz)
    hour = moment.hour % 12 or 12
    return (f"{_DAYS[moment.weekday()]} {moment.day:02d}/{_MONTHS[moment.month - 1]}/"
            f"{moment.year % 100:02d} {hour:02d}:{moment.minute:02d}:{moment.second:02d}:"
            f"{epoch_ms % 1000:02d}{moment.tzname()}")


def resource(memory_mb, vcores):
    """:return: ``Resource.toString()``: ``<memory:8192, vCores:8>``."""
    return f"<memory:{int(memory_mb)}, vCores:{int(vcores)}>"


def java_string(value):
    """:return: ``String.valueOf(value)``: ``null`` for ``None``, ``true``/``false`` for bools."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
