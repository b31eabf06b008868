"""
:class:`FlinkProcess`: the base of Flink's programs in YARN containers — the JobManager
entrypoints and the TaskExecutor runner — and what they share: the configuration they load, the
log they write, and their start-up.

A Flink process reads ``flink-conf.yaml`` from its working directory (the client staged it and
the NodeManager localized it) and applies the dynamic properties on its command line
(``-D key=value`` or ``-Dkey=value``).  It logs as Flink does, to ``<LOG_DIR>/jobmanager.log`` or
``taskmanager.log`` in Flink's layout, and every line also goes to the cluster's event stream.  Its
components start after the simulated JVM start-up time.
"""

import datetime
import functools
import os
import traceback

from flinkyarn.config import Configuration, IllegalConfigurationException
from flinkyarn.config.file_format import LEGACY_CONFIG_FILE_NAME
from yarnemu.nodemanager.programs import ContainerProgram
from yarnemu.records.ids import ContainerId

__all__ = ["FlinkProcess", "FlinkLog", "load_process_configuration", "parse_dynamic_properties"]

SIGTERM_EXIT_CODE = 143

_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC


def parse_dynamic_properties(args):
    """
    Split a Flink process's arguments into dynamic properties and the rest.

    :return: ``({key: value}, [other arguments])``.
    :raise IllegalConfigurationException: for a ``-D`` without ``key=value``.
    """
    properties = {}
    rest = []
    words = list(args)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "-D" and index + 1 < len(words):
            setting = words[index + 1]
            index += 2
        elif word.startswith("-D") and len(word) > 2:
            setting = word[2:]
            index += 1
        else:
            rest.append(word)
            index += 1
            continue
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            raise IllegalConfigurationException(
                f"Invalid dynamic property '{setting}': expected -D key=value")
        properties[key.strip()] = value.strip()
    return properties, rest


def load_process_configuration(working_dir, args):
    """
    :return: ``(Configuration, other arguments)``: the staged configuration file with the command
        line's dynamic properties applied.
    :raise IllegalConfigurationException: for a missing or malformed file or bad property.
    """
    properties, rest = parse_dynamic_properties(args)
    path = os.path.join(str(working_dir), LEGACY_CONFIG_FILE_NAME)
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise IllegalConfigurationException(
            f"The Flink config file '{path}' ({LEGACY_CONFIG_FILE_NAME}) does not exist: {error}"
        ) from None
    config = Configuration.from_flink_conf(text, source=path).with_values(properties)
    config.validate()
    return config, rest


class FlinkLog:
    """
    A Flink process's log.

    :param context: the container program's context.
    :param str file_name: ``jobmanager.log`` or ``taskmanager.log`` in the log directory.
    :param str source: the component name shown in timelines (``JobManager``, …).
    """

    def __init__(self, context, file_name, source):
        self._context = context
        self._path = os.path.join(str(context.log_dir), file_name)
        self._source = source
        self._subject = str(context.container_id)
        self._events = getattr(context.endpoints, "events", None)

    def info(self, logger, message):
        self._write("INFO", logger, message)

    def warn(self, logger, message):
        self._write("WARN", logger, message)

    def error(self, logger, message):
        self._write("ERROR", logger, message)

    def _write(self, level, logger, message):
        if self._context.exited:
            return
        now_ms = int(round(self._context.clock.seconds() * 1000))
        line = f"{_timestamp(now_ms)} {level:<5} {logger} [] - {message}\n"
        # Appended line by line, without a file object (a few µs, not tens, per line).
        fd = os.open(self._path, _APPEND, 0o666)
        try:
            data = line.encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        if self._events is not None:
            self._events.log(self._source, level, message, self._subject)


def _timestamp(now_ms):
    """Log4j's ``%d`` (``yyyy-MM-dd HH:mm:ss,SSS``) of ``now_ms``, in UTC."""
    return f"{_second_text(now_ms // 1000)}{now_ms % 1000:03d}"


@functools.lru_cache(maxsize=64)
def _second_text(second):
    # Many lines share a second: formatted once each (the calendar is the costly part).
    moment = datetime.datetime.fromtimestamp(second, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S,")


class FlinkProcess(ContainerProgram):
    """
    Base of Flink's container programs.  Subclasses set :attr:`log_file`, :attr:`source`,
    :attr:`startup_option` and implement :meth:`start_components`.

    :ivar config: the process's :class:`~flinkyarn.config.Configuration`.
    :ivar log: its :class:`FlinkLog`.
    :ivar container_id: its YARN container id; ``application_id`` the cluster's.
    :ivar str host: its NodeManager's host (``NM_HOST``).
    """

    log_file = "jobmanager.log"
    source = "JobManager"
    startup_option = "flinkyarn.simulation.jobmanager.startup-time"

    def start(self):
        context = self.context
        self.container_id = ContainerId.parse(context.environment["CONTAINER_ID"])
        self.application_id = self.container_id.application_id
        self.host = context.environment.get("NM_HOST", "localhost")
        self.log = FlinkLog(context, self.log_file, self.source)
        try:
            self.config, self.arguments = load_process_configuration(context.working_dir,
                                                                     context.args)
        except IllegalConfigurationException as error:
            self.log.error(type(self).__name__, f"Could not load the configuration: {error.message}")
            context.write_stderr(f"{error.java_class}: {error.message}\n")
            context.exit(1, error.message)
            return
        startup = self.config.get(self.startup_option)
        context.clock.callLater(startup.seconds, self._start_components)

    def _start_components(self):
        try:
            self.start_components()
        except Exception as error:
            self.fail_to_start(error)

    def start_components(self):
        raise NotImplementedError()

    def fail_to_start(self, error):
        """Starting the components failed: by default, as a fatal error."""
        self.fail_fatally(error)

    def fail_fatally(self, error):
        """A fatal error: log it, write its traceback to stderr and exit 1."""
        self.log.error(type(self).__name__, f"Fatal error occurred. {error}")
        self.exit_with_error(1, error)

    def exit_with_error(self, code, error):
        """Write ``error``'s traceback to stderr and exit with ``code``."""
        self.context.write_stderr("".join(traceback.format_exception(error)))
        self.context.exit(code, f"{type(error).__name__}: {error}")

    def terminate(self):
        """SIGTERM: Flink's signal handler logs it and the JVM exits with 143."""
        self.log.info("org.apache.flink.runtime.util.SignalHandler",
                      "RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.")
        self.context.exit(SIGTERM_EXIT_CODE, "Terminated")
