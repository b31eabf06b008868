"""
:class:`Console`: what the ``flinkyarn`` command writes, as Flink's command-line tools write it.

* ``print``/``error``: ``System.out.println``/``System.err.println``, flushed at once.
* Log lines, in the layout of the console appender of Flink's ``log4j-cli.properties`` and
  ``log4j-session.properties``: ``yyyy-MM-dd HH:mm:ss,SSS LEVEL <logger padded to 60> [] -
  message``. Which loggers reach the console is Flink's choice too: everything for
  ``yarn-session`` (``log4j-session.properties`` logs the root logger there), only
  ``org.apache.flink.yarn`` (``YarnClusterDescriptor``: ``Found Web Interface ...``,
  ``Submitting application master ...``) and ``org.apache.hadoop`` for the ``flink`` actions
  (``log4j-cli.properties``).
* The Flink client's output: :meth:`Console.follow` listens to a
  :class:`~flinkyarn.client.client_log.ClientLog` and shows each line as it happens: what the
  client printed (``Job has been submitted with JobID ...``, job results) as printed, its log
  lines as log lines of the logger the client logged them under.
* Flink's answers to failures: :meth:`Console.argument_error` (``handleArgException``: the
  message, a blank line, ``Use the help option (-h or --help) to get help on the command.``, on
  stdout) and :meth:`Console.program_error` (``handleError``: ``The program finished with the
  following exception:`` and the exception with its causes, on stderr — Java's stack trace
  without the frames).
"""

import time

from twisted.internet import error as internet_error

__all__ = [
    "Console",
    "exception_lines",
    "java_class_of",
    "SESSION_CONSOLE_LOGGERS",
    "CLI_CONSOLE_LOGGERS",
    "YARN_SESSION_CLI",
]

YARN_SESSION_CLI = "org.apache.flink.yarn.cli.FlinkYarnSessionCli"

SESSION_CONSOLE_LOGGERS = ("",)
"""``log4j-session.properties``: every logger."""

CLI_CONSOLE_LOGGERS = ("org.apache.flink.yarn", "org.apache.hadoop")
"""``log4j-cli.properties``: the YARN client and Hadoop."""

_JAVA_CLASSES = (
    (RuntimeError, "java.lang.RuntimeException"),
    (ValueError, "java.lang.IllegalArgumentException"),
    (OSError, "java.io.IOException"),
)

_ERROR_HEADER = ("", "------------------------------------------------------------",
                 " The program finished with the following exception:", "")

USE_HELP = "Use the help option (-h or --help) to get help on the command."


def java_class_of(error):
    """:return: the Java class a user of Flink would see for ``error``."""
    java_class = getattr(error, "java_class", None)
    if java_class:
        return java_class
    if isinstance(error, (internet_error.ConnectError, internet_error.DNSLookupError)):
        return "java.net.ConnectException"
    if isinstance(error, internet_error.TimeoutError):
        return "java.net.SocketTimeoutException"
    for python_class, name in _JAVA_CLASSES:
        if isinstance(error, python_class):
            return name
    return f"{type(error).__module__}.{type(error).__qualname__}"


def _message_of(error):
    message = getattr(error, "message", None)
    if message is None:
        message = str(error)
    details = getattr(error, "details", None)
    if details:
        # A REST error with details, as Flink's RestClientException shows the error list.
        message = "[" + ", ".join([message, *details]) + "]"
    return message


def exception_lines(error):
    """
    :return: the lines Java's ``printStackTrace`` prints for ``error``, without the ``at``
        frames: ``<class>: <message>``, then ``Caused by: <class>: <message>`` for each cause
        (``__cause__``, else ``__context__``).
    """
    lines = []
    seen = set()
    prefix = ""
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        message = _message_of(error)
        head = java_class_of(error) + (f": {message}" if message else "")
        lines.extend((prefix + head).split("\n"))
        prefix = "Caused by: "
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return lines


def _layout(time_ms, level, logger, message):
    seconds, millis = divmod(int(time_ms), 1000)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
    return f"{stamp},{millis:03d} {level:<5} {logger:<60} [] - {message}"


class Console:
    """
    :param out: standard output (a text stream).
    :param err: standard error.
    :param console_loggers: logger name prefixes whose lines are shown
        (:data:`SESSION_CONSOLE_LOGGERS` or :data:`CLI_CONSOLE_LOGGERS`).
    :param clock: an ``IReactorTime`` for the time of the command's own log lines (``None``:
        the wall clock).
    """

    def __init__(self, out, err, console_loggers=CLI_CONSOLE_LOGGERS, clock=None):
        self.out = out
        self.err = err
        self.console_loggers = tuple(console_loggers)
        self._clock = clock

    # Plain output

    def print(self, text=""):
        """``System.out.println(text)``."""
        self.out.write(f"{text}\n")
        self.out.flush()

    def error(self, text=""):
        """``System.err.println(text)``."""
        self.err.write(f"{text}\n")
        self.err.flush()

    # Log lines

    def shows(self, logger):
        """Whether lines of ``logger`` reach the console."""
        return any(logger.startswith(prefix) for prefix in self.console_loggers)

    def log(self, level, logger, message, time_ms=None):
        """Show a log line of ``logger`` if its logger reaches the console."""
        if not self.shows(logger):
            return
        if time_ms is None:
            now = self._clock.seconds() if self._clock is not None else time.time()
            time_ms = int(now * 1000)
        self.print(_layout(time_ms, level, logger, message))

    def info(self, logger, message):
        self.log("INFO", logger, message)

    def warn(self, logger, message):
        self.log("WARN", logger, message)

    # The Flink client's output

    def follow(self, client_log):
        """
        Show what ``client_log`` (a :class:`~flinkyarn.client.client_log.ClientLog`) prints and
        logs from now on.

        :return: a function that stops following.
        """
        return client_log.subscribe(self._client_line)

    def _client_line(self, level, logger, message):
        if logger is None:
            self.print(message)
        else:
            self.log(level, logger, message)

    # Failures

    def argument_error(self, message):
        """``handleArgException``; :return: 1."""
        self.print(message)
        self.print()
        self.print(USE_HELP)
        return 1

    def program_error(self, error):
        """``handleError``; :return: 1."""
        for line in _ERROR_HEADER:
            self.error(line)
        for line in exception_lines(error):
            self.error(line)
        return 1
