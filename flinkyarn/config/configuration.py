"""
:class:`Configuration`: a Flink configuration as an immutable value: key → string, with typed
reads through the option table of :mod:`flinkyarn.config.options`.

It is immutable because one configuration is derived from another at every step of a
deployment — the client's from the shipped file plus ``-D`` overrides, the staged file from the
client's, each container's from the staged file plus dynamic properties — and each step must
leave its input unchanged for the next reader (and for the event log). Every "change" returns a
new value; two configurations with the same entries are equal and hash alike.

Values are kept as the strings a configuration file holds, so a configuration renders to a file
and reads back unchanged; Python values given to it are first written as Flink writes them
(:func:`~flinkyarn.config.option_types.render_value`). Keys the option table does not know are
kept and returned as strings, as Flink keeps keys it does not read.
"""

from types import MappingProxyType

from attrs import field, frozen

from flinkyarn.config import option_types as types
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.file_format import (
    LEGACY_CONFIG_FILE_NAME,
    parse_flink_conf,
    render_flink_conf,
)
from flinkyarn.config.options import FLINK_VERSION, OPTIONS, SHIPPED_DEFAULTS, Option

__all__ = ["Configuration"]

_UNSET = object()


def _entries(values):
    """Converter: a mapping (or pairs) of keys to values → a read-only, key-sorted mapping."""
    if values is None:
        return MappingProxyType({})
    if isinstance(values, Configuration):
        return values.entries
    pairs = dict(values)
    entries = {}
    for key, value in pairs.items():
        _check_key(key)
        if value is None:
            continue
        try:
            entries[key] = types.render_value(value)
        except TypeError as error:
            raise IllegalConfigurationException(f"Invalid value for key '{key}': {error}") from None
    return MappingProxyType(dict(sorted(entries.items())))


def _check_key(key):
    if not isinstance(key, str) or not key.strip() or key != key.strip():
        raise IllegalConfigurationException(
            f"Configuration keys must be non-empty strings without surrounding spaces, not {key!r}")


@frozen(unsafe_hash=False)
class Configuration:
    """
    Flink configuration entries.

    :param entries: key → value; values are strings as in a configuration file, or Python
        values (``int``, ``float``, ``bool``, :class:`~flinkyarn.config.values.MemorySize`,
        :class:`~flinkyarn.config.values.Duration`, lists), written as Flink writes them; a
        ``None`` value leaves the key out.
    :raise IllegalConfigurationException: for a key that is not a non-empty string.

    Values are not checked when the configuration is built (a file may be read, overridden and
    only then checked): :meth:`validate` checks all of them, and each typed read checks its own.
    """

    entries: MappingProxyType = field(default=None, converter=_entries)

    def __hash__(self):
        return hash(tuple(self.entries.items()))

    # Construction

    @classmethod
    def shipped_default(cls):
        """
        :return: the settings of the configuration file Flink's distribution ships
            (:data:`~flinkyarn.config.options.SHIPPED_DEFAULTS`: 1600m JobManager, 1728m
            TaskManagers, one slot, parallelism 1, region failover).
        """
        return cls(SHIPPED_DEFAULTS)

    @classmethod
    def from_flink_conf(cls, text, source=LEGACY_CONFIG_FILE_NAME):
        """
        :return: the configuration in a flat ``flink-conf.yaml`` text.
        :raise IllegalConfigurationException: naming ``source`` and the line of a malformed line.
        """
        return cls(parse_flink_conf(text, source))

    def to_flink_conf(self):
        """
        :return: the flat ``flink-conf.yaml`` text of this configuration, keys sorted.
        :raise IllegalConfigurationException: naming a key whose value the format cannot carry.
        """
        return render_flink_conf(self.entries)

    # Derivation: every method returns a new configuration.

    def set(self, key, value):
        """
        :param key: a key or an :class:`~flinkyarn.config.options.Option`.
        :param value: as for the constructor; ``None`` removes the key.
        :return: a configuration with ``key`` set to ``value``.
        """
        return self.with_values({_key_of(key): value})

    def with_values(self, values):
        """:return: a configuration with ``values`` (key → value, ``None`` removes) over these."""
        merged = dict(self.entries)
        for key, value in dict(values).items():
            key = _key_of(key)
            merged.pop(key, None)
            if value is not None:
                merged[key] = value
        return Configuration(merged)

    def without(self, *keys):
        """:return: a configuration without ``keys`` (keys or options)."""
        return self.with_values({_key_of(key): None for key in keys})

    def with_overrides(self, overrides):
        """
        Apply ``-D``-style dynamic properties, as the Flink CLI does with ``-Dkey=value``.

        :param overrides: strings ``key=value``; the value is everything after the first ``=``
            and may be empty; key and value are trimmed.
        :return: a configuration with the overrides applied in order.
        :raise IllegalConfigurationException: naming the string, if one has no ``=`` or an empty
            key.
        """
        values = {}
        for override in overrides:
            key, separator, value = str(override).partition("=")
            if not separator or not key.strip():
                raise IllegalConfigurationException(
                    f"Dynamic property {override!r} is not of the form key=value")
            values[key.strip()] = value.strip()
        return self.with_values(values)

    # Reading

    def __getitem__(self, key):
        """:return: the string set for exactly ``key``. :raise KeyError: if it is not set."""
        return self.entries[key]

    def __contains__(self, key):
        """Whether exactly ``key`` is set (see :meth:`contains` for fallback keys)."""
        return key in self.entries

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def items(self):
        """:return: the ``(key, value string)`` pairs, sorted by key."""
        return tuple(self.entries.items())

    def keys(self):
        """:return: the keys set, sorted."""
        return tuple(self.entries)

    def contains(self, key):
        """
        Whether a value is set for ``key`` — for a known option, under its own key or any of its
        fallback or deprecated keys, as Flink's ``Configuration.contains(ConfigOption)``.
        """
        option = _option_of(key)
        if option is None:
            return key in self.entries
        return self._locate(option) is not None

    def get_raw(self, key, default=None):
        """
        :return: the string set for ``key`` (for a known option, also under its fallback keys),
            else ``default``. Defaults of the option table are not applied.
        """
        option = _option_of(key)
        if option is None:
            return self.entries.get(key, default)
        located = self._locate(option)
        return default if located is None else located[1]

    def get(self, key, default=_UNSET):
        """
        Read a value with the type of its option.

        :param key: an :class:`~flinkyarn.config.options.Option` or a key. For a key the option
            table does not know, the string set is returned.
        :param default: returned when nothing is set; the option's Flink default (for the
            configured :attr:`flink_version`) if not given.
        :return: the typed value (``None`` for an unset option without default).
        :raise IllegalConfigurationException: naming the key and the value, if the value does
            not parse or is out of range.
        """
        option = _option_of(key)
        if option is None:
            return self.entries.get(key, None if default is _UNSET else default)
        return self._read(option, option.value_type, default)

    def get_int(self, key, default=_UNSET):
        """:return: the value of ``key`` as a Java ``int``."""
        return self._read_as(key, types.INT, default)

    def get_long(self, key, default=_UNSET):
        """:return: the value of ``key`` as a Java ``long``."""
        return self._read_as(key, types.LONG, default)

    def get_float(self, key, default=_UNSET):
        """:return: the value of ``key`` as a Java ``float`` (rounded to 32 bits)."""
        return self._read_as(key, types.FLOAT, default)

    def get_double(self, key, default=_UNSET):
        """:return: the value of ``key`` as a Java ``double``."""
        return self._read_as(key, types.DOUBLE, default)

    def get_bool(self, key, default=_UNSET):
        """:return: the value of ``key`` as a boolean (``true``/``false`` in any case)."""
        return self._read_as(key, types.BOOLEAN, default)

    def get_str(self, key, default=_UNSET):
        """:return: the value of ``key`` as a string."""
        return self._read_as(key, types.STRING, default)

    def get_duration(self, key, default=_UNSET):
        """:return: the value of ``key`` as a :class:`~flinkyarn.config.values.Duration`."""
        return self._read_as(key, types.DURATION, default)

    def get_memory(self, key, default=_UNSET):
        """:return: the value of ``key`` as a :class:`~flinkyarn.config.values.MemorySize`."""
        return self._read_as(key, types.MEMORY, default)

    def get_list(self, key, default=_UNSET):
        """:return: the value of ``key`` as a list of strings (``;``-separated)."""
        return self._read_as(key, types.LIST, default)

    @property
    def flink_version(self):
        """
        The Flink release reproduced where releases differ: ``flinkyarn.version``, 1.18 by
        default (:data:`~flinkyarn.config.version.DEFAULT_VERSION`).
        """
        return self.get(FLINK_VERSION)

    def validate(self):
        """
        Check the value of every option the table knows that is set here, all at once, so that
        a bad configuration fails before anything runs.

        :raise IllegalConfigurationException: listing every bad value, each naming its key and
            value (:attr:`~IllegalConfigurationException.problems` has one entry per value).
        """
        problems = []
        for option in OPTIONS.values():
            try:
                self.get(option)
            except IllegalConfigurationException as error:
                problems.extend(error.problems)
        # A bad flinkyarn.version also fails every version-dependent default: report it once.
        problems = list(dict.fromkeys(problems))
        if len(problems) == 1:
            raise IllegalConfigurationException(problems[0])
        if problems:
            raise IllegalConfigurationException(
                f"{len(problems)} invalid configuration values:\n"
                + "\n".join(f"  {problem}" for problem in problems),
                problems)

    # Internals

    def _locate(self, option):
        for key in option.keys:
            if key in self.entries:
                return key, self.entries[key]
        return None

    def _read_as(self, key, value_type, default):
        option = _option_of(key)
        if option is None:
            option = Option(key, value_type)
        return self._read(option, value_type, default)

    def _read(self, option, value_type, default):
        located = self._locate(option)
        if located is None:
            if default is not _UNSET:
                return default
            if option.version_defaults:
                return option.default_for(self.flink_version)
            return option.default
        key, raw = located
        where = f"key '{key}'" if key == option.key else f"key '{key}' (read for '{option.key}')"
        try:
            value = value_type.parse(raw)
        except ValueError as error:
            raise IllegalConfigurationException(
                f"Could not parse value '{raw}' for {where}. {error}") from None
        problem = option.check(value)
        if problem:
            raise IllegalConfigurationException(f"Invalid value '{raw}' for {where}: {problem}")
        return value


def _key_of(key):
    return key.key if isinstance(key, Option) else key


def _option_of(key):
    if isinstance(key, Option):
        return key
    return OPTIONS.get(key)
