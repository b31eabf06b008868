"""
Flink's configuration file in the legacy flat format: one ``key: value`` per line, ``#`` starts a
comment, blank lines are ignored — what ``GlobalConfiguration.loadYAMLResource`` reads from
``flink-conf.yaml`` and ``BootstrapTools.writeConfiguration`` writes for containers.

Flink 1.19 added ``config.yaml`` (standard YAML; the only file 2.0 reads); 1.19 and 1.20 still
read ``flink-conf.yaml`` when ``config.yaml`` is absent. The emulator targets 1.17–1.20 and
stages :data:`LEGACY_CONFIG_FILE_NAME` by default. The flat lines written here are also valid
YAML, but values are written as Flink 1.x writes them, not YAML-quoted.
"""

import re

from flinkyarn.config.errors import IllegalConfigurationException

__all__ = ["LEGACY_CONFIG_FILE_NAME", "CONFIG_FILE_NAME", "parse_flink_conf", "render_flink_conf"]

# Java's BufferedReader.readLine line ends.
_LINE_END = re.compile(r"\r\n|\r|\n")

LEGACY_CONFIG_FILE_NAME = "flink-conf.yaml"
"""The configuration file of Flink up to 1.18 (still read by 1.19 and 1.20)."""

CONFIG_FILE_NAME = "config.yaml"
"""The configuration file of Flink 1.19 and later."""


def parse_flink_conf(text, source=LEGACY_CONFIG_FILE_NAME):
    """
    Read a flat Flink configuration file as Flink 1.x does: everything after the first ``#`` of
    a line is a comment, key and value are separated by the first ``": "`` and trimmed, a later
    line wins over an earlier one for the same key.

    Where Flink only logs a warning and skips a line that is not a key-value pair or has an
    empty key or value, this is an error, so that a bad file fails before anything runs.

    :param str text: the file's content.
    :param str source: the file's name or path, for messages.
    :return: key → value strings, in file order.
    :raise IllegalConfigurationException: naming ``source`` and the line number of a malformed
        line.
    """
    values = {}
    for number, line in enumerate(_LINE_END.split(text), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        key, separator, value = content.partition(": ")
        if not separator:
            raise IllegalConfigurationException(
                f"Error while trying to split key and value in configuration file "
                f"{source}:{number}: Line is not a key-value pair (missing space after ':'?)")
        key, value = key.strip(), value.strip()
        if not key or not value:
            raise IllegalConfigurationException(
                f"Error after splitting key and value in configuration file "
                f"{source}:{number}: Key or value was empty")
        values[key] = value
    return values


def render_flink_conf(values):
    """
    Write key-value strings as a flat Flink configuration file, one ``key: value`` line per key
    in sorted order (so the same configuration always gives the same bytes).

    A key with an empty value is left out: Flink's reader skips such a line, so the file reads
    back the same either way.

    :param values: key → value strings.
    :raise IllegalConfigurationException: naming the key, for a key or value the format cannot
        carry unchanged (a ``#``, a line break, surrounding spaces, or ``": "`` in a key).
    """
    lines = []
    for key in sorted(values):
        value = values[key]
        if value == "":
            continue
        problem = _unwritable(key, value)
        if problem:
            raise IllegalConfigurationException(
                f"Cannot write key '{key}' to a Flink configuration file: {problem}")
        lines.append(f"{key}: {value}\n")
    return "".join(lines)


def _unwritable(key, value):
    if not key or key != key.strip() or any(c.isspace() for c in key):
        return "the key is empty or contains whitespace"
    if "#" in key or ": " in key:
        return "the key contains '#' or ':'"
    if "#" in value:
        return f"the value {value!r} contains '#', which Flink reads as a comment"
    if "\n" in value or "\r" in value or value != value.strip():
        return f"the value {value!r} has a line break or surrounding whitespace"
    return None
