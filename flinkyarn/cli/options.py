"""
Flink's command-line options, read the way Flink's ``CliFrontendParser.parse`` reads them with
commons-cli's ``DefaultParser``, and their help text as Flink's ``HelpFormatter`` lays it out.

What the parser keeps from ``DefaultParser``:

* an option has a short name (``-jm``), a long name (``--jobManagerMemory``) or both; a long name
  may also be written with one dash (``-jobManagerMemory``) and shortened to a unique prefix
  (``--jobMan``);
* a value follows its option (``-jm 1024``), or is attached with ``=`` (``-jm=1024``,
  ``--jobManagerMemory=1024``) or directly after a short name (``-jm1024``); a token is a value,
  not an option, unless it names a known option — so ``-nm -odd-name`` names the application
  ``-odd-name``;
* a properties option (``-D``) takes ``key=value``, as ``-D key=value``, ``-Dkey=value`` or
  ``-D key value``; ``-Dflag`` alone sets ``flag`` to ``true`` (``getOptionProperties``);
* an option may take its value optionally (``stop -p [DIR]``): it takes the next token only if
  that is not an option;
* a missing value raises ``Missing argument for option: jm``; an unknown ``-option`` raises
  ``Unrecognized option: -x`` — except when parsing stops at the first non-option
  (``run``/``run-application``, whose first non-option is the program): then it is taken as the
  first argument, as commons-cli does;
* ``--`` ends the options.

Every parse error is a :class:`CliArgsException`, which Flink's CLI reports with the message, a
blank line and ``Use the help option (-h or --help) to get help on the command.``
"""

import textwrap

from attrs import field, frozen

from flinkyarn.graph.errors import FlinkError

__all__ = ["Option", "CommandLine", "CliArgsException", "parse", "help_lines"]

_HELP_WIDTH = 80
_HELP_LEFT_PAD = 5
_HELP_DESC_PAD = 3


class CliArgsException(FlinkError):
    """A command line Flink's CLI refuses (an unknown option, a missing value, a bad job id)."""

    java_class = "org.apache.flink.client.cli.CliArgsException"


@frozen
class Option:
    """
    One option.

    :ivar short: the short name without its dash (``jm``), or ``None``.
    :ivar long: the long name without its dashes (``jobManagerMemory``), or ``None``.
    :ivar str description: the help text.
    :ivar arg_name: the value's name in the help (``arg``); ``None`` for a flag.
    :ivar bool optional_arg: the value may be left out.
    :ivar bool properties: a ``-Dkey=value`` option (two values, split at ``=``).
    """

    short: str | None
    long: str | None
    description: str
    arg_name: str | None = None
    optional_arg: bool = False
    properties: bool = False

    @property
    def key(self):
        """The name the option is known by in a :class:`CommandLine` (short, else long)."""
        return self.short or self.long

    @property
    def takes_value(self):
        return self.arg_name is not None or self.properties

    @property
    def _max_values(self):
        return 2 if self.properties else (1 if self.takes_value else 0)

    def prefixed(self, short_prefix, long_prefix):
        """
        :return: the option as Flink's YARN CLI adds it to other actions, e.g. ``-yjm`` and
            ``--yarnjobManagerMemory`` for ``-jm``/``--jobManagerMemory``.
        """
        return Option(short_prefix + self.short if self.short else None,
                      long_prefix + self.long if self.long else None,
                      self.description, self.arg_name, self.optional_arg, self.properties)

    def synopsis(self):
        """``-d,--detached`` or ``-p,--parallelism <parallelism>`` or ``-D <property=value>``."""
        names = ",".join(name for name in (f"-{self.short}" if self.short else None,
                                           f"--{self.long}" if self.long else None) if name)
        if self.properties:
            return f"{names} <property=value>"
        if self.arg_name is not None:
            return f"{names} <{self.arg_name}>"
        return names


@frozen
class CommandLine:
    """
    What :func:`parse` found.

    :ivar tuple occurrences: ``(option, values)`` for each option given, in order.
    :ivar tuple args: the arguments that are neither options nor their values.
    """

    occurrences: tuple = field(factory=tuple)
    args: tuple = field(factory=tuple)

    def has(self, option):
        """Whether ``option`` (an :class:`Option`) was given."""
        return any(given == option for given, _ in self.occurrences)

    def value(self, option, default=None):
        """:return: the first value of ``option``, or ``default``."""
        for given, values in self.occurrences:
            if given == option and values:
                return values[0]
        return default

    def properties(self, option):
        """
        :return: the ``key → value`` pairs of a properties option, in the order given (a later
            value for a key replaces an earlier one; ``-Dflag`` alone is ``flag → "true"``).
        """
        pairs = {}
        for given, values in self.occurrences:
            if given != option or not values:
                continue
            key = values[0]
            pairs.pop(key, None)
            pairs[key] = values[1] if len(values) > 1 else "true"
        return pairs

    def given(self):
        """:return: the distinct options given, in order."""
        return tuple(dict.fromkeys(option for option, _ in self.occurrences))


class _Occurrence:
    def __init__(self, option):
        self.option = option
        self.values = []

    def accepts_value(self):
        return len(self.values) < self.option._max_values

    def requires_value(self):
        return self.accepts_value() and not self.option.optional_arg

    def add(self, value):
        if self.option.properties:
            for part in value.split("=", 1) if not self.values else [value]:
                if self.accepts_value():
                    self.values.append(part)
        else:
            self.values.append(value)


class _Parser:
    def __init__(self, options, stop_at_non_option):
        self.options = tuple(options)
        self.stop_at_non_option = stop_at_non_option
        self.occurrences = []
        self.args = []
        self.current = None

    # Lookups

    def short(self, name):
        for option in self.options:
            if option.short == name:
                return option
        return None

    def matching_long(self, name):
        exact = [option for option in self.options if option.long == name]
        if exact:
            return exact
        return [option for option in self.options if option.long and option.long.startswith(name)]

    def long_prefix(self, text):
        """The longest proper prefix of ``text`` (2 characters or more) that is a long option's
        name: ``-Xmx512m`` style (``getLongPrefix``)."""
        for end in range(len(text) - 2, 1, -1):
            if any(option.long == text[:end] for option in self.options):
                return text[:end]
        return None

    def java_property(self, text):
        option = self.short(text[:1])
        return option if option is not None and option.properties else None

    def is_option(self, token):
        if not token.startswith("-") or len(token) == 1:
            return False
        if token.startswith("--"):
            name = token[2:].split("=", 1)[0]
            return bool(name) and bool(self.matching_long(name))
        text = token[1:]
        name = text.split("=", 1)[0]
        return (self.short(name) is not None or self.short(name[:1]) is not None
                or bool(self.matching_long(name)) or self.long_prefix(text) is not None)

    # Parsing

    def run(self, arguments):
        tokens = list(arguments)
        for index, token in enumerate(tokens):
            if token == "--":
                self.finish_current()
                self.args.extend(tokens[index + 1:])
                break
            if self.current is not None and self.current.accepts_value() \
                    and not self.is_option(token):
                self.current.add(token)
                if not self.current.accepts_value():
                    self.current = None
                continue
            self.finish_current()
            if token == "-":
                if self.unknown(token):
                    self.args.extend(tokens[index + 1:])
                    break
            elif token.startswith("--"):
                if self.long_option(token):
                    self.args.extend(tokens[index + 1:])
                    break
            elif token.startswith("-"):
                if self.short_or_long_option(token):
                    self.args.extend(tokens[index + 1:])
                    break
            elif self.unknown(token):
                self.args.extend(tokens[index + 1:])
                break
        self.finish_current()
        return CommandLine(tuple((o.option, tuple(o.values)) for o in self.occurrences),
                           tuple(self.args))

    def finish_current(self):
        if self.current is not None and self.current.requires_value():
            raise CliArgsException(f"Missing argument for option: {self.current.option.key}")
        self.current = None

    def begin(self, option, value=None):
        occurrence = _Occurrence(option)
        self.occurrences.append(occurrence)
        if value is None:
            if occurrence.accepts_value():
                self.current = occurrence
        else:
            # An attached value completes the option: -jm=1024, -Dkey=value, -Dflag.
            occurrence.add(value)

    def unknown(self, token):
        """Handle a token that is no option; :return: whether parsing stops here."""
        if token.startswith("-") and len(token) > 1 and not self.stop_at_non_option:
            raise CliArgsException(f"Unrecognized option: {token}")
        self.args.append(token)
        return self.stop_at_non_option

    def long_option(self, token):
        name, separator, value = token[2:].partition("=")
        return self.named_long(token, name, value if separator else None)

    def named_long(self, token, name, value):
        matches = self.matching_long(name) if name else []
        if not matches:
            return self.unknown(token)
        if len(matches) > 1:
            names = ", ".join(f"'{option.long}'" for option in matches)
            raise CliArgsException(f"Ambiguous option: '--{name}'  (could be: {names})")
        option = matches[0]
        if value is not None and not option.takes_value:
            return self.unknown(token)
        self.begin(option, value)
        return False

    def short_or_long_option(self, token):
        text = token[1:]
        name, separator, value = text.partition("=")
        if not separator:
            option = self.short(text)
            if option is not None:
                self.begin(option)
                return False
            if self.matching_long(text):
                return self.named_long(token, text, None)
            prefix = self.long_prefix(text)
            if prefix is not None and self.matching_long(prefix)[0].takes_value:
                self.begin(self.matching_long(prefix)[0], text[len(prefix):])
                return False
            option = self.java_property(text)
            if option is not None:
                self.begin(option, text[1:])
                return False
            return self.unknown(token)
        if len(name) == 1:
            option = self.short(name)
            if option is not None and option.takes_value:
                self.begin(option, value)
                return False
            return self.unknown(token)
        option = self.short(name)
        if option is not None and option.takes_value:
            self.begin(option, value)
            return False
        option = self.java_property(name)
        if option is not None:
            self.begin(option, f"{name[1:]}={value}")
            return False
        return self.named_long(token, name, value)


def parse(options, arguments, stop_at_non_option=False):
    """
    :param options: the :class:`Option`\\ s the command knows.
    :param arguments: the command's arguments (after the action).
    :param bool stop_at_non_option: the first argument that is no option ends the options; it
        and everything after it are arguments (``run PROGRAM ARGS``).
    :return: a :class:`CommandLine`.
    :raise CliArgsException: as commons-cli's ``ParseException``\\ s word it.
    """
    return _Parser(options, stop_at_non_option).run(arguments)


def help_lines(options):
    """
    :return: the lines ``HelpFormatter.printOptions`` prints for ``options`` with Flink's
        settings (left padding 5, width 80): the synopses in one column, the descriptions
        wrapped beside them, options sorted by their key ignoring case.
    """
    ordered = sorted(options, key=lambda option: option.key.lower())
    synopses = [option.synopsis() for option in ordered]
    widest = max(len(synopsis) for synopsis in synopses)
    column = _HELP_LEFT_PAD + widest + _HELP_DESC_PAD
    lines = []
    for option, synopsis in zip(ordered, synopses):
        head = " " * _HELP_LEFT_PAD + synopsis.ljust(widest) + " " * _HELP_DESC_PAD
        wrapped = textwrap.wrap(option.description, max(20, _HELP_WIDTH - column)) or [""]
        lines.append(head + wrapped[0])
        lines.extend(" " * column + line for line in wrapped[1:])
    return lines
