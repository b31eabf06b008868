"""
Reading a container's command line without a shell: which allow-listed program it names, with
which arguments, and where its standard output and error go.

YARN joins a launch context's commands with spaces into one command line.  yarnemu splits it as a
POSIX shell would split words (after expanding variables, ``<CPS>`` and ``<LOG_DIR>``) but never
runs a shell: the first word that is not a Java launcher or a JVM option names the program, which
must be registered; ``1>file``, ``2>file``, ``>file`` and ``2>&1`` set up redirection.
"""

import shlex

from attrs import field, frozen

from yarnemu.nodemanager.environment import expand

__all__ = ["ProgramInvocation", "CommandError", "parse_command"]

_SHELL_OPERATORS = {"|", "||", "&", "&&", ";", "<", "`", "$("}
_OPTIONS_WITH_VALUE = {"-cp", "-classpath", "--class-path", "-jar"}


class CommandError(ValueError):
    """A command line that names no program, or uses shell syntax yarnemu will not interpret."""


@frozen
class ProgramInvocation:
    """
    :ivar str program: the program's name (a Java main class or a command name).
    :ivar args: its arguments.
    :ivar stdout: the file standard output is redirected to, or ``None``.
    :ivar stderr: the file standard error is redirected to, or ``None``.
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
    :param log_dir: the container's log directory, for ``<LOG_DIR>``.
    :param is_program: ``name → bool``, whether a name is an allow-listed program.
    :return: a :class:`ProgramInvocation`.
    :raise CommandError: for an empty command, unbalanced quotes or shell operators.
    """
    line = expand(" ".join(commands), environment, log_dir)
    try:
        words = shlex.split(line, posix=True)
    except ValueError as error:
        raise CommandError(f"cannot parse the command line ({error}): {line}") from None
    if not words:
        raise CommandError("the launch context has no command")
    words, stdout, stderr = _redirections(words)
    for word in words:
        if word in _SHELL_OPERATORS:
            raise CommandError(f"shell syntax {word!r} is not supported (no shell runs): {line}")
    launcher = []
    index = 0
    while index < len(words):
        word = words[index]
        if is_program(word):
            return ProgramInvocation(word, words[index + 1:], launcher, stdout, stderr)
        if word in _OPTIONS_WITH_VALUE and index + 1 < len(words):
            launcher.extend(words[index:index + 2])
            index += 2
            continue
        if word.startswith("-") or _is_java(word) or word == "exec":
            launcher.append(word)
            index += 1
            continue
        break
    name = words[index] if index < len(words) else words[-1]
    raise CommandError(f"{name}: command not found")


def _is_java(word):
    return word == "java" or word.endswith("/bin/java")


def _redirections(words):
    kept = []
    stdout = stderr = None
    index = 0
    while index < len(words):
        word = words[index]
        for prefix, stream in (("2>&1", "both"), ("1>", "out"), ("2>", "err"), (">", "out")):
            if word.startswith(prefix):
                if stream == "both":
                    stderr = stdout
                    target = None
                else:
                    target = word[len(prefix):]
                    if not target:
                        index += 1
                        target = words[index] if index < len(words) else ""
                    if stream == "out":
                        stdout = target
                    else:
                        stderr = target
                break
        else:
            kept.append(word)
        index += 1
    return kept, stdout, stderr
