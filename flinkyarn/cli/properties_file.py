"""
The ``.yarn-properties-<user>`` file through which Flink's YARN session CLI tells later ``flink``
commands which session to use, written and read as ``FlinkYarnSessionCli`` does:

* its place: ``<yarn.properties-file.location>/.yarn-properties-<user.name>``, the directory
  being ``java.io.tmpdir`` when the option is unset (here :func:`tempfile.gettempdir`, which
  honours ``$TMPDIR``), and ``user.name`` the login name of the local user (not
  ``HADOOP_USER_NAME``);
* its format: a Java properties file as ``Properties.store`` writes it — the comment
  ``#Generated YARN properties file``, a date comment, then ``applicationID=<id>`` and, when the
  session was started with ``-D`` settings, ``dynamicPropertiesString=k\\=v@@k2\\=v2`` (the
  settings ``@@``-joined, ``=`` and ``:`` escaped); readable by everyone;
* reading: a file without ``applicationID`` or with a malformed one is an error that asks the
  user to delete it, in Flink's words.

An attached session deletes the file when it ends; a detached one leaves it for later commands.
"""

import getpass
import os
import stat
import tempfile
import time

from attrs import frozen

from flinkyarn.runtime.errors import FlinkException
from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationId
from yarnemu.yarncli.format import java_hash_set_order

__all__ = [
    "YarnProperties",
    "properties_file_path",
    "encode_dynamic_properties",
    "decode_dynamic_properties",
    "write_properties_file",
    "read_properties_file",
    "delete_properties_file",
    "store_properties",
    "load_properties",
]

FILE_PREFIX = ".yarn-properties-"
APPLICATION_ID_KEY = "applicationID"
DYNAMIC_PROPERTIES_KEY = "dynamicPropertiesString"
DYNAMIC_PROPERTIES_SEPARATOR = "@@"
HEADER = "Generated YARN properties file"


@frozen
class YarnProperties:
    """
    What a properties file says.

    :ivar application_id: the session's :class:`~yarnemu.records.ids.ApplicationId`.
    :ivar dict dynamic_properties: the session's ``-D`` settings, key → value.
    :ivar str path: where the file is.
    """

    application_id: ApplicationId
    dynamic_properties: dict
    path: str


def properties_file_path(location=None, user_name=None):
    """
    :param location: ``yarn.properties-file.location``, or ``None`` for the temporary directory.
    :param user_name: the local user (default: the login name, as Java's ``user.name``).
    :return: the path of the properties file.
    """
    directory = location if location is not None else tempfile.gettempdir()
    return os.path.join(directory, FILE_PREFIX + (user_name or getpass.getuser()))


def encode_dynamic_properties(properties):
    """
    :param properties: the ``-D`` settings, key → value, in the order given.
    :return: ``k=v@@k2=v2``, the keys in the order Java's ``Properties.stringPropertyNames()``
        lists them (a ``HashMap``'s), as Flink joins them; ``""`` when there are none.
    """
    return DYNAMIC_PROPERTIES_SEPARATOR.join(
        f"{key}={properties[key]}" for key in java_hash_set_order(list(properties)))


def decode_dynamic_properties(encoded):
    """
    :return: key → value of an encoded string (``getDynamicProperties``): entries split at
        ``@@``, each at its first ``=``, keys and values trimmed, entries without ``=`` or with
        an empty key skipped.
    """
    properties = {}
    for entry in (encoded or "").split(DYNAMIC_PROPERTIES_SEPARATOR):
        key, separator, value = entry.partition("=")
        if separator and key.strip():
            properties[key.strip()] = value.strip()
    return properties


def write_properties_file(path, application_id, dynamic_properties_encoded=None):
    """
    Write the file for a deployed session (``writeYarnPropertiesFile``), readable by everyone.

    :param dynamic_properties_encoded: :func:`encode_dynamic_properties`' string, or ``None``.
    """
    values = {APPLICATION_ID_KEY: str(application_id)}
    if dynamic_properties_encoded is not None:
        values[DYNAMIC_PROPERTIES_KEY] = dynamic_properties_encoded
    with open(path, "w", encoding="latin-1") as stream:
        stream.write(store_properties(values, HEADER))
    mode = os.stat(path).st_mode
    os.chmod(path, mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def read_properties_file(path):
    """
    :return: the :class:`YarnProperties` in the file at ``path``, or ``None`` if there is none.
    :raise FlinkException: in Flink's words, for a file that cannot be read, has no
        ``applicationID`` or a malformed one.
    """
    if not os.path.exists(path):
        return None
    absolute = os.path.abspath(path)
    try:
        with open(path, encoding="latin-1") as stream:
            values = load_properties(stream.read())
    except OSError as error:
        raise FlinkException(f"Could not read the Yarn properties file {path}. Please delete "
                             f"the file at {absolute}.") from error
    text = values.get(APPLICATION_ID_KEY)
    if text is None:
        raise FlinkException("Yarn properties file found but doesn't contain a Yarn application "
                             f"id. Please delete the file at {absolute}")
    try:
        application_id = ApplicationId.parse(text)
    except IllegalArgumentException as error:
        raise FlinkException(f"YARN properties contain an invalid entry for application id: "
                             f"{text}. Please delete the file at {absolute}") from error
    return YarnProperties(application_id,
                          decode_dynamic_properties(values.get(DYNAMIC_PROPERTIES_KEY)), path)


def delete_properties_file(path):
    """
    Delete the file if it is there (``deleteYarnPropertiesFile``).

    :return: whether a file was deleted.
    """
    if not os.path.isfile(path):
        return False
    os.remove(path)
    return True


# Java's Properties format

_ESCAPED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", "\\": "\\\\",
            "=": "\\=", ":": "\\:", "#": "\\#", "!": "\\!"}
_UNESCAPED = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _escape(text, escape_space):
    out = []
    for index, char in enumerate(text):
        if char == " ":
            out.append("\\ " if index == 0 or escape_space else " ")
        elif char in _ESCAPED:
            out.append(_ESCAPED[char])
        elif ord(char) < 0x20 or ord(char) > 0x7E:
            out.append("".join(f"\\u{unit:04X}" for unit in _utf16(char)))
        else:
            out.append(char)
    return "".join(out)


def _utf16(char):
    data = char.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def store_properties(values, comment=None, now=None):
    """
    :param values: key → value strings.
    :param comment: the first comment line, or ``None``.
    :param now: the time of the date comment (``time.time()`` if ``None``).
    :return: the text ``Properties.store`` writes: the comment, ``#<Date.toString()>``, then one
        escaped ``key=value`` line per entry.
    """
    lines = []
    if comment is not None:
        lines.append("#" + comment)
    lines.append("#" + time.strftime("%a %b %d %H:%M:%S %Z %Y", time.localtime(now)))
    # The order of Properties' ConcurrentHashMap: by hash bucket, as a HashMap's of that size.
    for key in java_hash_set_order(list(values)):
        lines.append(f"{_escape(key, True)}={_escape(values[key], False)}")
    return "\n".join(lines) + "\n"


def _logical_lines(text):
    """Lines joined where a line ends in an odd number of backslashes (``LineReader``)."""
    physical = text.splitlines()
    index = 0
    while index < len(physical):
        line = physical[index].lstrip(" \t\f")
        index += 1
        if not line or line[0] in "#!":
            continue
        while _continues(line) and index < len(physical):
            line = line[:-1] + physical[index].lstrip(" \t\f")
            index += 1
        if _continues(line):
            line = line[:-1]
        yield line


def _continues(line):
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _unescape(text):
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if char != "\\" or index >= len(text):
            out.append(char)
            continue
        char = text[index]
        index += 1
        if char == "u" and index + 4 <= len(text):
            try:
                out.append(chr(int(text[index:index + 4], 16)))
                index += 4
                continue
            except ValueError:
                pass
        out.append(_UNESCAPED.get(char, char))
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")


def load_properties(text):
    """
    :return: key → value of a Java properties text (``Properties.load``): comments (``#``,
        ``!``), ``key=value``, ``key:value`` and ``key value``, escapes and continued lines.
    """
    values = {}
    for line in _logical_lines(text):
        index = 0
        while index < len(line):
            char = line[index]
            if char == "\\":
                index += 2
                continue
            if char in "=: \t\f":
                break
            index += 1
        key = line[:index]
        # The key ends at '=', ':' or white space; one '=' or ':' after it belongs to neither.
        rest = line[index:].lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        values[_unescape(key)] = _unescape(rest)
    return values
