"""
The programs a container may run in-process, and what they are given.

A container's command names a program; the in-process executor looks the name up in a
:class:`ProgramRegistry` (an allow-list: there is no shell and no ``eval``), builds a
:class:`ProgramContext` — arguments, environment, working directory with the localized files, log
directory, a clock, and the cluster's endpoints — and calls the program's factory with it.  A
program ends by calling :meth:`ProgramContext.exit` with its exit code.
"""

import os

from zope.interface import Interface

__all__ = [
    "IContainerProgram",
    "ContainerProgram",
    "ProgramContext",
    "ProgramRegistry",
]


class IContainerProgram(Interface):
    """A program running in a container."""

    def start():
        """Begin running.  The program calls its context's ``exit`` when it ends."""

    def terminate():
        """
        The container is being stopped (SIGTERM): end soon by calling the context's ``exit``.
        A program that does not is killed after ``yarn.nodemanager.sleep-delay-before-sigkill.ms``.
        """


class ContainerProgram:
    """
    A convenient base for programs: keeps the context, and on :meth:`terminate` exits with 143
    as a JVM does on SIGTERM.
    """

    def __init__(self, context):
        self.context = context

    def start(self):
        raise NotImplementedError()

    def terminate(self):
        self.context.exit(143, "Terminated")


class ProgramContext:
    """
    What a containerized program is given.

    :ivar clock: an ``IReactorTime`` scoped to this container's life.
    :ivar args: the program's arguments (a tuple of strings).
    :ivar environment: the container's environment (a dict).
    :ivar working_dir: the container's working directory (``PWD``), with the localized resources.
    :ivar log_dir: the container's log directory (``<LOG_DIR>``).
    :ivar endpoints: the cluster's :class:`~yarnemu.client.endpoints.ClusterEndpoints`, as a real
        program finds them through its Hadoop configuration.
    """

    def __init__(self, clock, container_id, node_id, user, args, environment, working_dir,
                 log_dir, endpoints, stdout_path, stderr_path, on_exit):
        self.clock = clock
        self.container_id = container_id
        self.node_id = node_id
        self.user = user
        self.args = tuple(args)
        self.environment = environment
        self.working_dir = working_dir
        self.log_dir = log_dir
        self.endpoints = endpoints
        self._stdout_path = stdout_path
        self._stderr_path = stderr_path
        self._on_exit = on_exit
        self.exit_code = None

    @property
    def exited(self):
        return self.exit_code is not None

    def exit(self, code, diagnostics=""):
        """
        End the program with ``code``; later calls are ignored.  The program's timers stop.
        """
        if self.exit_code is not None:
            return
        self.exit_code = int(code)
        self.clock.close()
        self._on_exit(self.exit_code, diagnostics)

    def write_stdout(self, text):
        """Append ``text`` to the program's standard output (its file; nothing for ``/dev/null``)."""
        _append(self._stdout_path, text)

    def write_stderr(self, text):
        """Append ``text`` to the program's standard error (its file; nothing for ``/dev/null``)."""
        _append(self._stderr_path, text)


def _append(path, text):
    if path is None:
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(text)


class ProgramRegistry:
    """
    The allow-list of programs containers may run: name → factory, where a factory takes a
    :class:`ProgramContext` and returns an :class:`IContainerProgram` provider.
    """

    def __init__(self, programs=None):
        self._programs = {}
        for name, factory in dict(programs or {}).items():
            self.register(name, factory)

    def register(self, name, factory):
        """
        :raise ValueError: if ``name`` is already registered to another factory.
        """
        current = self._programs.get(name)
        if current is not None and current is not factory:
            raise ValueError(f"program {name!r} is already registered")
        self._programs[name] = factory

    def __contains__(self, name):
        return name in self._programs

    def get(self, name):
        return self._programs.get(name)

    def names(self):
        return sorted(self._programs)

    def merged(self, other):
        """:return: a registry with this one's programs and ``other``'s."""
        registry = ProgramRegistry(self._programs)
        for name in other.names():
            registry.register(name, other.get(name))
        return registry
