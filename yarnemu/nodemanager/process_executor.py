"""
:class:`ProcessContainerExecutor`: containers run as real OS processes of this machine, as Hadoop's
``DefaultContainerExecutor`` runs them, so that real clients (a Java ApplicationMaster, Flink's
JobManager and TaskManagers) can run in them.  It runs whatever command a client sends: the
service uses it only when asked to (``--container-executor process``).

A container's process:

- The NodeManager asks the executor, before it expands the launch context's variables, for what the
  container gets from this machine: the variables of ``yarn.nodemanager.env-whitelist`` from the
  service's environment (``JAVA_HOME``, found from the ``java`` on ``PATH`` if unset, ``PATH``…),
  which the launch context may replace, and, from an optional :class:`IContainerSite`, variables
  the NodeManager sets over its own (``HADOOP_CONF_DIR`` naming a configuration directory the site
  wrote, say).  The executor also writes ``container_tokens``, the file
  ``HADOOP_TOKEN_FILE_LOCATION`` names: the launch context's tokens, or no tokens.  Nothing else of
  the service's environment reaches a container.
- :meth:`ProcessContainerExecutor.launch` writes ``launch_container.sh``
  (:mod:`~yarnemu.nodemanager.launch_script`) in the working directory, with a copy in the log
  directory, and runs ``setsid /bin/bash launch_container.sh`` there, as Hadoop's
  ``default_container_executor_session.sh`` does: the process leads a session and process group of
  its own, which holds everything its command starts.  Standard input is ``/dev/null``; standard
  output and error go to ``prelaunch.out`` and ``prelaunch.err`` in the log directory until the
  command redirects them.
- It exits with its exit code, or 128 + the number of the signal that killed it, as ``bash``
  reports it (143 for SIGTERM, 137 for SIGKILL); a non-zero exit's diagnostics are Hadoop's: the
  last 4096 bytes of ``prelaunch.err`` and of the newest ``*stderr*`` file in the log directory.
  A command that does not exist exits with 127 (``bash``: "command not found").
- :meth:`~_ContainerProcess.terminate` sends SIGTERM to the whole group and SIGKILL after the kill
  delay (``yarn.nodemanager.sleep-delay-before-sigkill.ms``); ``kill`` sends SIGKILL; ``abandon``
  (its node died) sends SIGKILL and reports nothing.  What the group still holds when its leader
  exits (processes the command left in the background) gets SIGTERM, then SIGKILL after the delay,
  as Hadoop's container cleanup does.
- :meth:`ProcessContainerExecutor.shutdown` stops every group it started the same way and
  fires when all are gone; containers it is asked to launch afterwards fail.

Times here are the reactor's real time, whatever clock the cluster keeps: processes run in real
time.
"""

import fnmatch
import os
import shutil
import signal
import sys

from attrs import field, frozen
from twisted.internet.defer import Deferred, DeferredList
from twisted.internet.protocol import ProcessProtocol
from zope.interface import Attribute, Interface, implementer

from yarnemu.nodemanager.executor import IContainerExecutor, IRunningContainer
from yarnemu.nodemanager.launch_script import (
    EMPTY_CREDENTIALS,
    LAUNCH_SCRIPT,
    PRELAUNCH_ERR,
    PRELAUNCH_OUT,
    TOKENS_FILE,
    launch_script,
)
from yarnemu.records.exit_status import ProcessExitCode
from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = [
    "IContainerSite",
    "IProcessContainerExecutor",
    "ContainerSetup",
    "ProcessContainerExecutor",
    "ENV_WHITELIST",
    "LAUNCH_FAILED",
    "inherited_environment",
]

ENV_WHITELIST = ("JAVA_HOME", "HADOOP_COMMON_HOME", "HADOOP_HDFS_HOME", "HADOOP_CONF_DIR",
                 "CLASSPATH_PREPEND_DISTCACHE", "HADOOP_YARN_HOME", "HADOOP_HOME", "PATH", "LANG",
                 "TZ")
"""``yarn.nodemanager.env-whitelist``'s default (Hadoop 3)."""

LAUNCH_FAILED = -1
"""The exit code of a container whose process could not be started (``ContainerLaunch``'s)."""

STDERR_PATTERN = ("*stderr*", "*STDERR*")
"""``yarn.nodemanager.container.stderr.pattern``'s default, ``{*stderr*,*STDERR*}``."""

STDERR_TAIL_BYTES = 4096
"""``yarn.nodemanager.container.stderr.tail.bytes``'s default."""


class IContainerSite(Interface):
    """What a deployment adds to each container of a :class:`ProcessContainerExecutor`."""

    def prepare(setup):
        """
        Prepare a container before its environment is complete: write the files it needs (a
        Hadoop configuration directory, say) under ``setup.working_dir``.

        :param ContainerSetup setup:
        :return: a dict of variables the NodeManager sets for the container, over its own ones
            (``HADOOP_CONF_DIR``…): the launch context's variables are expanded against them and
            cannot replace them.
        """


class IProcessContainerExecutor(IContainerExecutor):
    """
    An executor whose containers are processes of this machine: the NodeManager then localizes
    ``file:`` resources too, and asks it for each container's share of the machine.
    """

    inherited_environment = Attribute(
        "The variables containers inherit from this machine, which their launch contexts may "
        "replace and refer to.")

    def prepare_container(setup):
        """
        Prepare a container whose environment the NodeManager is about to expand.

        :param ContainerSetup setup:
        :return: a dict of variables the NodeManager sets over its own.
        """

    def shutdown():
        """
        Stop every process this executor started.

        :return: a ``Deferred`` that fires when they are all gone.
        """


@frozen
class ContainerSetup:
    """
    A container about to be launched, as an :class:`IContainerSite` sees it.

    :ivar environment: the NodeManager's variables for it so far (``CONTAINER_ID``, ``PWD``…).
    :ivar tokens: its launch context's tokens (a Hadoop ``Credentials`` stream), or ``None``.
    """

    container_id: object
    node_id: object
    user: str
    working_dir: str
    log_dir: str
    commands: tuple = field(converter=frozen_tuple)
    environment: object = field(converter=frozen_mapping)
    tokens: bytes | None = None


def inherited_environment(environ, java_home=None, whitelist=ENV_WHITELIST):
    """
    :param environ: the service's environment.
    :param java_home: ``JAVA_HOME`` for containers; by default the service's, or else the home of
        the ``java`` found on its ``PATH``.
    :return: the variables of ``whitelist`` that ``environ`` has, with ``JAVA_HOME`` if known.
    """
    inherited = {name: environ[name] for name in whitelist if name in environ}
    java_home = java_home or environ.get("JAVA_HOME") or _java_home(environ.get("PATH"))
    if java_home:
        inherited["JAVA_HOME"] = str(java_home)
    return inherited


def _java_home(path):
    java = shutil.which("java", path=path) if path else None
    if java is None:
        return None
    home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    return home if os.access(os.path.join(home, "bin", "java"), os.X_OK) else None


@implementer(IProcessContainerExecutor)
class ProcessContainerExecutor:
    """
    :param reactor: an ``IReactorProcess`` and ``IReactorTime`` (the real reactor).
    :param java_home: ``JAVA_HOME`` for containers (see :func:`inherited_environment`).
    :param site: an :class:`IContainerSite`, or ``None``.
    :param int kill_delay_ms: ``yarn.nodemanager.sleep-delay-before-sigkill.ms``.
    :param environ: the environment containers inherit from (default: this process's).

    :ivar inherited_environment: what containers inherit from this machine.
    :ivar site: the :class:`IContainerSite`, which may be set once the cluster it needs exists.
    """

    def __init__(self, reactor, java_home=None, site=None, kill_delay_ms=250, environ=None):
        self._reactor = reactor
        self.site = site
        self._kill_delay = kill_delay_ms / 1000.0
        self.inherited_environment = inherited_environment(
            os.environ if environ is None else environ, java_home)
        self._processes = set()
        self._setup_failures = {}
        self._shut_down = False
        setsid = shutil.which("setsid")
        if setsid is not None:
            self._session_command = [setsid, "setsid"]
        else:
            # The same where util-linux is missing: become a session leader, then be bash.
            self._session_command = [
                sys.executable, sys.executable, "-c",
                "import os, sys; os.setsid(); os.execv(sys.argv[1], sys.argv[1:])",
            ]

    @property
    def running(self):
        """:return: how many container process groups this executor still watches."""
        return len(self._processes)

    def prepare_container(self, setup):
        """
        Write the container's ``container_tokens`` and ask the site for its variables.  A failure
        fails the container's launch, with the error as its diagnostics.
        """
        try:
            with open(os.path.join(setup.working_dir, TOKENS_FILE), "wb") as tokens:
                tokens.write(setup.tokens or EMPTY_CREDENTIALS)
            if self.site is None:
                return {}
            return dict(self.site.prepare(setup))
        except Exception as error:
            self._setup_failures[setup.container_id] = f"{type(error).__name__}: {error}"
            return {}

    def launch(self, launch):
        process = _ContainerProcess(self, launch)
        failure = self._setup_failures.pop(launch.container_id, None)
        if self._shut_down:
            failure = "The NodeManager's container executor is shut down"
        if failure is None:
            failure = self._spawn(process, launch)
        if failure is not None:
            process.alive = False
            self._reactor.callLater(0, launch.on_exit, LAUNCH_FAILED,
                                    f"Failed to launch container: {failure}")
        return process

    def shutdown(self):
        """
        Stop every container process group: SIGTERM, then SIGKILL after the kill delay (a group
        being terminated already keeps its own SIGKILL).  Later launches fail.

        :return: a ``Deferred`` firing when every group's leader is reaped and every group has
            had its SIGKILL.
        """
        self._shut_down = True
        processes = list(self._processes)
        for process in processes:
            process.stop_group()
        return DeferredList([process.gone() for process in processes]).addCallback(
            lambda _: None)

    def _spawn(self, process, launch):
        """Write the script and start it; :return: ``None``, or why it could not start."""
        working_dir = str(launch.working_dir)
        log_dir = str(launch.log_dir)
        script = launch_script(launch.environment, launch.commands, log_dir)
        descriptors = []
        try:
            for directory in (working_dir, log_dir):
                with open(os.path.join(directory, LAUNCH_SCRIPT), "w") as out:
                    out.write(script)
            descriptors.append(os.open(os.devnull, os.O_RDONLY))
            for name in (PRELAUNCH_OUT, PRELAUNCH_ERR):
                descriptors.append(os.open(os.path.join(log_dir, name),
                                           os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
            executable, *args = self._session_command
            self._processes.add(process)
            process.spawning = True
            self._reactor.spawnProcess(
                process, executable, [*args, "/bin/bash", LAUNCH_SCRIPT], env={},
                path=working_dir, childFDs=dict(enumerate(descriptors)),
            )
        except Exception as error:
            self._processes.discard(process)
            return f"{type(error).__name__}: {error}"
        finally:
            process.spawning = False
            for descriptor in descriptors:
                os.close(descriptor)
        return None

    def _forget(self, process):
        self._processes.discard(process)


@implementer(IRunningContainer)
class _ContainerProcess(ProcessProtocol):
    """
    One container's process group, led by the process the executor spawned (its id is the
    group's).
    """

    program = None

    def __init__(self, executor, launch):
        self._executor = executor
        self._reactor = executor._reactor
        self._launch = launch
        self.pid = None
        self.spawning = False
        self.alive = True
        self._reaped = False
        self._abandoned = False
        self._terminating = False
        self._kill_call = None
        self._waiters = []

    # IRunningContainer

    def terminate(self):
        if self.alive:
            self.stop_group()

    def kill(self):
        if self.alive:
            self._signal(signal.SIGKILL)

    def abandon(self):
        if self.alive:
            self._abandoned = True
            self.alive = False
            self._signal(signal.SIGKILL)

    # The group

    def stop_group(self):
        """SIGTERM to the group now (unless sent already), SIGKILL after the kill delay."""
        if self._kill_call is not None:
            return
        delay = self._executor._kill_delay
        if delay <= 0:
            self._signal(signal.SIGKILL)
            self._check_gone()
            return
        if not self._terminating:
            self._terminating = True
            self._signal(signal.SIGTERM)
        self._kill_call = self._reactor.callLater(delay, self._force_kill)

    def gone(self):
        """:return: a ``Deferred`` firing once the leader is reaped and no SIGKILL is due."""
        waiter = Deferred()
        self._waiters.append(waiter)
        self._check_gone()
        return waiter

    def _force_kill(self):
        self._kill_call = None
        self._signal(signal.SIGKILL)
        self._check_gone()

    def _signal(self, number):
        if self.pid is None:
            return
        try:
            os.killpg(self.pid, number)
        except ProcessLookupError:
            # No group yet (the leader has not reached setsid) or none left: the leader alone.
            if not self._reaped:
                try:
                    os.kill(self.pid, number)
                except ProcessLookupError:
                    pass

    def _group_remains(self):
        if self.pid is None:
            return False
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _check_gone(self):
        if not self._reaped or self._kill_call is not None:
            return
        self._executor._forget(self)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.callback(None)

    # ProcessProtocol

    def connectionMade(self):
        self.pid = self.transport.pid

    def processEnded(self, reason):
        self._reaped = True
        code = reason.value.exitCode
        if getattr(reason.value, "signal", None) is not None:
            code = 128 + reason.value.signal
        if self._kill_call is None and self._group_remains():
            # Hadoop's cleanup of an exited container: the group's leftovers are stopped too.
            self.stop_group()
        self._check_gone()
        if self._abandoned or not self.alive:
            return
        self.alive = False
        if self.spawning:
            # It ended before spawnProcess returned: its launch returns first.
            self._reactor.callLater(0, self._launch.on_exit, code, self._diagnostics(code))
        else:
            self._launch.on_exit(code, self._diagnostics(code))

    def _diagnostics(self, code):
        """Hadoop's diagnostics for a container's exit (``ContainerLaunch``)."""
        if code == 0:
            return ""
        text = f"Container exited with a non-zero exit code {code}. "
        if code in (ProcessExitCode.FORCE_KILLED, ProcessExitCode.TERMINATED):
            return text
        log_dir = str(self._launch.log_dir)
        prelaunch_err = os.path.join(log_dir, PRELAUNCH_ERR)
        if os.path.isfile(prelaunch_err):
            text += (f"Error file: {PRELAUNCH_ERR}.\nLast {STDERR_TAIL_BYTES} bytes of "
                     f"{PRELAUNCH_ERR} :\n{_tail(prelaunch_err)}")
        errors = _stderr_files(log_dir)
        if errors:
            newest = max(errors, key=_modification_time)
            if len(errors) > 1:
                text += f"Error files: {', '.join(os.path.basename(path) for path in errors)}.\n"
            text += (f"Last {STDERR_TAIL_BYTES} bytes of {os.path.basename(newest)} :\n"
                     f"{_tail(newest)}\n")
        return text


def _stderr_files(log_dir):
    try:
        names = sorted(os.listdir(log_dir))
    except OSError:
        return []
    return [os.path.join(log_dir, name) for name in names
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in STDERR_PATTERN)
            and os.path.isfile(os.path.join(log_dir, name))]


def _modification_time(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _tail(path):
    try:
        with open(path, "rb") as stream:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - STDERR_TAIL_BYTES))
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return ""
