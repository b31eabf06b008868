"""
Container executors: what turns a launch into a running program and reports how it ended.

:class:`InProcessContainerExecutor` runs allow-listed Python programs in this process, on the
cluster's clock.  It never runs a shell: an unknown program, or a command line it cannot read,
ends the container with exit code 127 and a diagnostic, as ``bash`` would report "command not
found"; a program that raises ends it with exit code 1.  Neither harms the NodeManager.
"""

import os
import traceback

from attrs import frozen
from zope.interface import Interface, implementer

from yarnemu.nodemanager.command import CommandError, parse_command
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
    def terminate():
        """Ask the container's process to stop (SIGTERM), forcing it after the kill delay."""


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
        except CommandError as error:
            running.ended(COMMAND_NOT_FOUND, f"yarnemu: {error} (not an allow-listed program)")
            return running
        context = ProgramContext(
            clock=ScopedClock(self._clock),
            container_id=launch.container_id,
            node_id=launch.node_id,
            user=launch.user,
            args=invocation.args,
            environment=dict(launch.environment),
            working_dir=launch.working_dir,
            log_dir=launch.log_dir,
            endpoints=self.endpoints,
            stdout_path=_output_path(launch.working_dir, launch.log_dir, invocation.stdout, "stdout"),
            stderr_path=_output_path(launch.working_dir, launch.log_dir, invocation.stderr, "stderr"),
            on_exit=running.ended,
        )
        running.context = context
        factory = self.registry.get(invocation.program)
        try:
            running.program = factory(context)
            running.program.start()
        except Exception as error:
            running.crashed(invocation.program, error)
        return running


@implementer(IRunningContainer)
class _RunningProgram:
    def __init__(self, clock, kill_delay, on_exit):
        self._clock = clock
        self._kill_delay = kill_delay
        self._on_exit = on_exit
        self.context = None
        self.program = None
        self._done = False

    def ended(self, code, diagnostics=""):
        if self._done:
            return
        self._done = True
        if self.context is not None and not self.context.exited:
            self.context.exit_code = code
            self.context.clock.close()
        # The NodeManager notices a process exit asynchronously, as its monitor thread would.
        self._clock.callLater(0, self._on_exit, code, diagnostics)

    def crashed(self, name, error):
        if self.context is not None:
            self.context.write_stderr("".join(traceback.format_exception(error)))
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
        if not self._done:
            self._clock.callLater(self._kill_delay, self._force_kill)

    def _force_kill(self):
        self.ended(ProcessExitCode.FORCE_KILLED, "Killed after the SIGTERM grace period")


def _output_path(working_dir, log_dir, target, default_name):
    # Without a redirect, output goes to <LOG_DIR>/stdout or stderr, where one looks for it.
    if target is None:
        return os.path.join(str(log_dir), default_name)
    return target if os.path.isabs(target) else os.path.join(str(working_dir), target)
