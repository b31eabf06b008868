"""
Reading a container's command line without a shell: which allow-listed program it names, with
which arguments, and where its standard output and error go.

YARN joins a launch context's commands with spaces into one command line, replaces ``<LOG_DIR>``,
``<CPS>`` and ``{{VAR}}`` in it, and has ``bash`` run it.  yarnemu does the replacing, then splits
the line into words as a POSIX shell would — single quotes keep everything literal, double quotes
expand ``$VAR`` and ``${VAR}`` inside one word, a backslash quotes one character, an unquoted
variable's value is split at blanks, an unquoted ``#`` starting a word begins a comment — but never
runs a shell: the first word that is not ``exec``, a Java launcher or a JVM option names the
program, which must be registered.  Unquoted ``>file``, ``1>file``, ``2>file`` (or ``>>``),
``2>&1`` and ``1>&2`` set up redirection; every other unquoted shell operator (``|``, ``&``,
``;``, ``<``, ``(``, ``)``, a backquote, ``$(``) is refused.
"""

import os
import re

from attrs import field, frozen

from yarnemu.nodemanager.environment import expand_markers

__all__ = ["ProgramInvocation", "CommandError", "CommandNotFoundError", "parse_command"]

_OPTIONS_WITH_VALUE = {"-cp", "-classpath", "--class-path", "-jar"}
_BLANKS = " \t\n"
_OPERATORS = "|&;<>()`"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACED_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DOUBLE_QUOTE_ESCAPES = '$`"\\\n'
_STREAMS = {1: "stdout", 2: "stderr"}
_DUPLICATE = re.compile(r"&([12])(?!\w)")


class CommandError(ValueError):
    """A command line that names no program, or uses shell syntax yarnemu will not interpret."""


class CommandNotFoundError(CommandError):
    """
    A command line whose program is not allow-listed.

    :ivar str name: the word that should have named a program.
    """

    def __init__(self, name):
        super().__init__(f"{name}: command not found")
        self.name = name


@frozen
class ProgramInvocation:
    """
    :ivar str program: the program's name (a Java main class or a command name).
    :ivar args: its arguments.
    :ivar launcher: the words before the program (``exec``, the Java launcher, JVM options).
    :ivar str stdout: the file standard output goes to, relative to the working directory unless
        absolute: ``<LOG_DIR>/stdout`` unless redirected.
    :ivar str stderr: the same for standard error: ``<LOG_DIR>/stderr`` unless redirected.
    """

    program: str
    args: tuple = field(converter=tuple)
    launcher: tuple = field(converter=tuple, default=())
    stdout: str | None = None
    stderr: str | None = None


def parse_command(commands, environment, log_dir, is_program):
    """
    :param commands: the launch context's commands.
    :param environment: the container's environment, for expansion.
    :param log_dir: the container's log directory, for ``<LOG_DIR>`` and the default output files.
    :param is_program: ``name → bool``, whether a name is an allow-listed program.
    :return: a :class:`ProgramInvocation`.
    :raise CommandNotFoundError: if the command names no allow-listed program.
    :raise CommandError: for an empty command, a syntax error or a shell operator.
    """
    line = expand_markers(" ".join(commands), log_dir)
    targets = {1: os.path.join(str(log_dir), "stdout"), 2: os.path.join(str(log_dir), "stderr")}
    words = _Splitter(line, environment, targets).split()
    if not words:
        raise CommandError(f"the launch context has no command: {line}")
    launcher = []
    index = 0
    while index < len(words):
        word = words[index]
        if is_program(word):
            return ProgramInvocation(word, words[index + 1:], launcher, targets[1], targets[2])
        if word in _OPTIONS_WITH_VALUE and index + 1 < len(words):
            launcher.extend(words[index:index + 2])
            index += 2
            continue
        if word.startswith("-") or _is_java(word) or word == "exec":
            launcher.append(word)
            index += 1
            continue
        break
    raise CommandNotFoundError(words[index] if index < len(words) else words[0])


def _is_java(word):
    return word == "java" or word.endswith("/bin/java")


class _Splitter:
    """
    Splits a command line into words as a POSIX shell would, applying the redirections it finds
    to ``targets`` (descriptor → file) in order.
    """

    def __init__(self, line, environment, targets):
        self.line = line
        self.environment = environment
        self.targets = targets
        self.position = 0
        self.words = []
        self.word = []
        self.started = False  # a word is in progress (quotes alone make an empty word)
        self.plain = True  # the word so far has no quoting and no expansion
        self.redirect = None  # the descriptor waiting for its target word

    def split(self):
        line = self.line
        while self.position < len(line):
            char = line[self.position]
            if char in _BLANKS:
                self.position += 1
                self.end_word()
            elif char == "#" and not self.started:
                break
            elif char == "'":
                end = line.find("'", self.position + 1)
                if end < 0:
                    self.fail("unexpected end of line while looking for the matching `''")
                self.add(line[self.position + 1:end], plain=False)
                self.position = end + 1
            elif char == '"':
                self.double_quoted()
            elif char == "\\":
                if self.position + 1 < len(line):
                    self.add(line[self.position + 1], plain=False)
                self.position += 2
            elif char == "$":
                self.dollar(quoted=False)
            elif char in "<>" or (char == "&" and line.startswith("&>", self.position)):
                self.redirection()
            elif char in _OPERATORS:
                self.operator(char)
            else:
                self.add(char)
                self.position += 1
        self.end_word()
        if self.redirect is not None:
            self.fail("syntax error near unexpected token `newline'")
        return self.words

    def add(self, text, plain=True):
        self.word.append(text)
        self.started = True
        self.plain = self.plain and plain

    def end_word(self):
        if not self.started:
            return
        word = "".join(self.word)
        self.word = []
        self.started = False
        self.plain = True
        if self.redirect is not None:
            self.targets[self.redirect] = word
            self.redirect = None
        else:
            self.words.append(word)

    def double_quoted(self):
        line = self.line
        self.position += 1
        self.add("", plain=False)
        while True:
            if self.position >= len(line):
                self.fail("unexpected end of line while looking for the matching `\"'")
            char = line[self.position]
            if char == '"':
                self.position += 1
                return
            escaped = line[self.position + 1:self.position + 2]
            if char == "\\" and escaped and escaped in _DOUBLE_QUOTE_ESCAPES:
                self.add(line[self.position + 1], plain=False)
                self.position += 2
            elif char == "$":
                self.dollar(quoted=True)
            elif char == "`":
                self.operator(char)
            else:
                self.add(char, plain=False)
                self.position += 1

    def dollar(self, quoted):
        line = self.line
        rest = self.position + 1
        if line.startswith("(", rest):
            self.operator("$(")
        braced = _BRACED_NAME.match(line, rest)
        name = braced or _NAME.match(line, rest)
        if name is None:
            if line.startswith("{", rest):
                self.fail(f"bad substitution: {line[self.position:]}")
            self.add("$", plain=False)
            self.position = rest
            return
        self.position = name.end()
        value = self.environment.get(name.group(1) if braced else name.group(0), "")
        if quoted:
            self.add(value, plain=False)
            return
        # An unquoted expansion is split into fields at blanks; an empty one adds no word.
        fields = re.split(r"[ \t\n]+", value)
        for number, text in enumerate(fields):
            if number:
                if self.redirect is not None:
                    self.fail(f"${name.group(0)}: ambiguous redirect")
                self.end_word()
            if text:
                self.add(text, plain=False)

    def redirection(self):
        line = self.line
        char = line[self.position]
        if char == "<" or char == "&":
            self.operator(line[self.position:self.position + 2] if char == "&" else char)
        if self.started and self.plain and "".join(self.word).isdigit():
            descriptor = int("".join(self.word))
            self.word = []
            self.started = False
        else:
            self.end_word()
            descriptor = 1
        if self.redirect is not None:
            self.fail(f"syntax error near unexpected token `{char}'")
        self.position += 1
        if line.startswith(">", self.position) or line.startswith("|", self.position):
            self.position += 1
        if descriptor not in _STREAMS:
            self.fail(f"redirection of descriptor {descriptor} is not supported")
        if line.startswith("&", self.position):
            match = _DUPLICATE.match(line, self.position)
            if match is None:
                self.operator("&")
            self.targets[descriptor] = self.targets[int(match.group(1))]
            self.position = match.end()
            return
        self.redirect = descriptor
        while self.position < len(line) and line[self.position] in _BLANKS:
            self.position += 1
        if self.position >= len(line) or line[self.position] in _OPERATORS:
            token = line[self.position] if self.position < len(line) else "newline"
            self.fail(f"syntax error near unexpected token `{token}'")

    def operator(self, text):
        line = self.line
        if text in "|&" and line.startswith(text * 2, self.position):
            text *= 2
        raise CommandError(f"shell syntax {text!r} is not supported (no shell runs): {line}")

    def fail(self, message):
        raise CommandError(f"{message}: {self.line}")
