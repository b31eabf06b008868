"""
Container executors: what turns a launch into a running program and reports how it ended.

:class:`InProcessContainerExecutor` runs allow-listed Python programs in this process, on the
cluster's clock.  It never runs a shell: an unknown program, or a command line it cannot read or
will not run (shell operators, output redirected outside the container's working and log
directories), ends the container with exit code 127 and a diagnostic, as ``bash`` would report
"command not found"; a program that raises — when it starts, is terminated, or in a call it
scheduled — ends it with exit code 1 and the traceback in its standard error.  Neither harms the
NodeManager.
"""

import os
import traceback

from attrs import frozen
from zope.interface import Attribute, Interface, implementer

from yarnemu.nodemanager.command import CommandError, CommandNotFoundError, parse_command
from yarnemu.nodemanager.programs import ProgramContext
from yarnemu.nodemanager.scoped_clock import ScopedClock
from yarnemu.records.exit_status import ProcessExitCode

__all__ = [
    "IContainerExecutor",
    "IRunningContainer",
    "ContainerLaunch",
    "InProcessContainerExecutor",
    "COMMAND_NOT_FOUND",
]

COMMAND_NOT_FOUND = 127


class IContainerExecutor(Interface):
    def launch(launch):
        """
        Start a container's command.

        :param ContainerLaunch launch:
        :return: an :class:`IRunningContainer`.  ``launch.on_exit(code, diagnostics)`` is called
            once, later, when it ends.
        """


class IRunningContainer(Interface):
    program = Attribute("The program object running in the container, or ``None`` (a command "
                        "that is not a registered program, or one that has not started).")
    alive = Attribute("Whether the process still runs (it has neither exited nor been "
                      "abandoned).")

    def terminate():
        """Ask the container's process to stop (SIGTERM), forcing it after the kill delay."""

    def abandon():
        """
        The node died: the process is gone at once, and ``on_exit`` is never called.
        """

    def kill():
        """
        The process dies at once (SIGKILL, the OOM killer, a crash): it exits with 137 and
        ``on_exit`` is called as for any exit.
        """


@frozen
class ContainerLaunch:
    """Everything an executor needs to start a container."""

    container_id: object
    node_id: object
    user: str
    commands: tuple
    environment: object
    working_dir: object
    log_dir: object
    on_exit: object


@implementer(IContainerExecutor)
class InProcessContainerExecutor:
    """
    :param clock: the cluster's ``IReactorTime``.
    :param registry: the :class:`~yarnemu.nodemanager.programs.ProgramRegistry` allow-list.
    :param endpoints: the :class:`~yarnemu.client.endpoints.ClusterEndpoints` programs get.
    :param int kill_delay_ms: ``yarn.nodemanager.sleep-delay-before-sigkill.ms``.
    """

    def __init__(self, clock, registry, endpoints, kill_delay_ms=250):
        self._clock = clock
        self.registry = registry
        self.endpoints = endpoints
        self._kill_delay = kill_delay_ms / 1000.0

    def launch(self, launch):
        running = _RunningProgram(self._clock, self._kill_delay, launch.on_exit)
        try:
            invocation = parse_command(launch.commands, launch.environment, launch.log_dir,
                                       self.registry.__contains__)
            stdout_path = _output_path(invocation.stdout, launch.working_dir, launch.log_dir)
            stderr_path = _output_path(invocation.stderr, launch.working_dir, launch.log_dir)
        except CommandNotFoundError as error:
            running.ended(COMMAND_NOT_FOUND, f"yarnemu: {error} (not an allow-listed program)")
            return running
        except CommandError as error:
            running.ended(COMMAND_NOT_FOUND, f"yarnemu: {error}")
            return running
        name = invocation.program
        context = ProgramContext(
            clock=ScopedClock(self._clock, on_error=lambda error: running.crashed(name, error)),
            container_id=launch.container_id,
            node_id=launch.node_id,
            user=launch.user,
            args=invocation.args,
            environment=dict(launch.environment),
            working_dir=launch.working_dir,
            log_dir=launch.log_dir,
            endpoints=self.endpoints,
            stdout_path=stdout_path,
            stderr_path=stderr_path,
            on_exit=running.ended,
        )
        running.context = context
        factory = self.registry.get(name)
        try:
            running.program = factory(context)
            running.program.start()
        except Exception as error:
            running.crashed(name, error)
        return running


@implementer(IRunningContainer)
class _RunningProgram:
    def __init__(self, clock, kill_delay, on_exit):
        self._clock = clock
        self._kill_delay = kill_delay
        self._on_exit = on_exit
        self._kill = None
        self.context = None
        self.program = None
        self._done = False

    @property
    def alive(self):
        return not self._done

    def ended(self, code, diagnostics=""):
        if self._done:
            return
        self._stop(code)
        # The NodeManager notices a process exit asynchronously, as its monitor thread would.
        self._clock.callLater(0, self._on_exit, code, diagnostics)

    def crashed(self, name, error):
        if self._done:
            # Nothing runs after a process exits: code after ``exit`` cannot crash it.
            return
        if self.context is not None:
            try:
                self.context.write_stderr("".join(traceback.format_exception(error)))
            except OSError:
                pass
        self.ended(1, f"Exception in program {name}: {error!r}")

    def terminate(self):
        if self._done:
            return
        if self.program is not None:
            try:
                self.program.terminate()
            except Exception as error:
                self.crashed(type(self.program).__name__, error)
                return
        if not self._done and self._kill is None:
            self._kill = self._clock.callLater(self._kill_delay, self._force_kill)

    def abandon(self):
        if not self._done:
            self._stop(None)

    def kill(self):
        self.ended(ProcessExitCode.FORCE_KILLED, "Killed by signal 9 (SIGKILL)")

    def _stop(self, code):
        self._done = True
        if self._kill is not None and self._kill.active():
            self._kill.cancel()
        if self.context is not None and not self.context.exited:
            self.context.exit_code = code
        if self.context is not None:
            self.context.clock.close()

    def _force_kill(self):
        self.ended(ProcessExitCode.FORCE_KILLED, "Killed after the SIGTERM grace period")


def _output_path(target, working_dir, log_dir):
    """
    :return: the file a stream redirected to ``target`` goes to, or ``None`` for ``/dev/null``.
    :raise CommandError: for a file outside the container's working and log directories: a
        program runs inside the NodeManager's own process, so it may write nowhere else.
    """
    if target == os.devnull:
        return None
    path = os.path.normpath(os.path.join(str(working_dir), target))
    real = os.path.realpath(path)
    for directory in (working_dir, log_dir):
        if real.startswith(os.path.realpath(str(directory)) + os.sep):
            return path
    raise CommandError(
        f"{target}: output may only go to the container's working or log directory"
    )
