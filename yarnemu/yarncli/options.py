"""
Hadoop-style single-dash options (``-list``, ``-appStates RUNNING,ACCEPTED``), read the way
Hadoop's CLIs read them with commons-cli 1.2's ``GnuParser``, and their usage text as its
``HelpFormatter.printHelp(title, options)`` prints it.

What the parser keeps from ``GnuParser``:

* an option is ``-name`` or ``--name`` (case-sensitive), or ``-name=value``;
* an option taking one value takes the next argument, whatever it looks like; one taking many
  takes every following argument up to the next known option, each split at the option's value
  separator;
* a missing value raises :class:`MissingArgumentException`, an unknown ``-option``
  :class:`UnrecognizedOptionException`; other arguments are left over for the command to judge;
* surrounding double quotes are stripped from values; options may repeat and their values add up.
"""

from attrs import field, frozen

__all__ = [
    "Option",
    "CommandLine",
    "ParseException",
    "MissingArgumentException",
    "UnrecognizedOptionException",
    "parse",
    "usage",
]

_WIDTH = 74
_LEFT_PAD = 1
_DESC_PAD = 3


@frozen
class Option:
    """
    One option.

    :ivar str name: the option without its dash (``appStates``).
    :ivar str description: the help text.
    :ivar arg_name: the value's name in the usage (``States``); ``None`` for a flag.
    :ivar bool many: it takes any number of values (``Option.UNLIMITED_VALUES``).
    :ivar separator: the character its values are split at (``","``), or ``None``.
    """

    name: str
    description: str
    arg_name: str | None = None
    many: bool = False
    separator: str | None = None

    @property
    def takes_value(self):
        return self.arg_name is not None


class ParseException(Exception):
    """commons-cli's ``ParseException``; :ivar str java_class: its Java class name."""

    java_class = "org.apache.commons.cli.ParseException"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class MissingArgumentException(ParseException):
    java_class = "org.apache.commons.cli.MissingArgumentException"

    def __init__(self, option):
        super().__init__(f"Missing argument for option: {option.name}")
        self.option = option


class UnrecognizedOptionException(ParseException):
    java_class = "org.apache.commons.cli.UnrecognizedOptionException"

    def __init__(self, argument):
        super().__init__(f"Unrecognized option: {argument}")
        self.argument = argument


@frozen
class CommandLine:
    """
    What :func:`parse` found.

    :ivar values: option name → the values given (empty for a flag), for each option present.
    :ivar tuple leftovers: the arguments that are not options or their values.
    """

    values: dict = field(factory=dict)
    leftovers: tuple = ()

    def has(self, name):
        return name in self.values

    def value(self, name):
        """:return: the first value of option ``name``, or ``None``."""
        values = self.values.get(name)
        return values[0] if values else None

    def all_values(self, name):
        """:return: every value of option ``name`` (``getOptionValues``), or ``()``."""
        return tuple(self.values.get(name, ()))

    def has_any_other(self, *names):
        """:return: whether an option besides ``names`` is present (``hasAnyOtherCLIOptions``)."""
        return any(present not in names for present in self.values)


def _strip_hyphens(text):
    if text.startswith("--"):
        return text[2:]
    if text.startswith("-"):
        return text[1:]
    return text


def _strip_quotes(text):
    if text.startswith('"'):
        text = text[1:]
    if text.endswith('"'):
        text = text[:-1]
    return text


def _flatten(by_name, arguments):
    tokens = []
    for argument in arguments:
        if argument.startswith("-") and argument not in ("-", "--"):
            name = _strip_hyphens(argument)
            if name not in by_name and "=" in name and name.split("=", 1)[0] in by_name:
                option, _, value = argument.partition("=")
                tokens += [option, value]
                continue
        tokens.append(argument)
    return tokens


def parse(options, arguments):
    """
    :param options: the :class:`Option`\\ s the command knows.
    :param arguments: the command's arguments.
    :return: a :class:`CommandLine`.
    :raise MissingArgumentException: an option that needs a value has none.
    :raise UnrecognizedOptionException: an argument starting with ``-`` names no option.
    """
    by_name = {option.name: option for option in options}
    tokens = _flatten(by_name, arguments)
    values = {}
    leftovers = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            leftovers.extend(t for t in tokens[i:] if t != "--")
            break
        if token == "-" or not token.startswith("-"):
            leftovers.append(token)
            continue
        option = by_name.get(_strip_hyphens(token))
        if option is None:
            raise UnrecognizedOptionException(token)
        given = values.setdefault(option.name, [])
        if not option.takes_value:
            continue
        taken = []
        while i < len(tokens):
            candidate = tokens[i]
            if candidate.startswith("-") and _strip_hyphens(candidate) in by_name:
                break
            if not option.many and taken:
                break
            value = _strip_quotes(candidate)
            if option.many and option.separator:
                taken.extend(value.split(option.separator))
            else:
                taken.append(value)
            i += 1
        if not taken:
            raise MissingArgumentException(option)
        given.extend(taken)
    return CommandLine(values, tuple(leftovers))


def _find_wrap_position(text, width):
    for mark in ("\n", "\t"):
        position = text.find(mark)
        if position != -1 and position <= width:
            return position + 1
    if width >= len(text):
        return -1
    position = width
    while position >= 0 and text[position] not in " \n\r":
        position -= 1
    if position > 0:
        return position
    position = width
    while position < len(text) and text[position] not in " \n\r":
        position += 1
    return -1 if position == len(text) else position


def _wrapped(text, width, next_line_tab_stop):
    lines = []
    position = _find_wrap_position(text, width)
    if position == -1:
        return [text.rstrip()]
    lines.append(text[:position].rstrip())
    if next_line_tab_stop >= width:
        next_line_tab_stop = 1
    padding = " " * next_line_tab_stop
    while True:
        text = padding + text[position:].strip()
        position = _find_wrap_position(text, width)
        if position == -1:
            lines.append(text)
            return lines
        if len(text) > width and position == next_line_tab_stop - 1:
            position = width
        lines.append(text[:position].rstrip())


def usage(title, options):
    """
    :return: the text ``HelpFormatter.printHelp(title, options)`` prints: ``usage: <title>``,
        then each option, sorted by name ignoring case, its description wrapped at 74
        columns; with the final newline.
    """
    ordered = sorted(options, key=lambda option: option.name.lower())
    prefixes = []
    for option in ordered:
        prefix = " " * _LEFT_PAD + "-" + option.name
        if option.takes_value:
            prefix += f" <{option.arg_name}>"
        prefixes.append(prefix)
    widest = max(len(prefix) for prefix in prefixes)
    rendered = []
    for option, prefix in zip(ordered, prefixes):
        line = prefix.ljust(widest) + " " * _DESC_PAD + option.description
        rendered.extend(_wrapped(line, _WIDTH, widest + _DESC_PAD))
    return f"usage: {title}\n" + "\n".join(rendered) + "\n"
