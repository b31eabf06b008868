"""
:class:`CliContext`: what every ``flinkyarn`` action runs with — the reactor, the service's
address and the user, ``FLINK_HOME``, the console, the HTTP client, and the event stream the
Flink client logs to — and the steps they share: the configuration of a command line and a
``YarnClusterDescriptor`` deploying onto the service.
"""

import getpass

from twisted.internet.defer import DeferredList, maybeDeferred

from flinkyarn.cli.cluster_options import DYNAMIC_PROPERTIES, RM_URL, WEBHDFS_URL
from flinkyarn.cli.deployment_guard import InterruptibleDescriptor
from flinkyarn.cli.distribution import flink_home_directory, open_flink_home
from flinkyarn.cli.reachability import ReachabilityRecorder
from flinkyarn.cli.service_address import resolve_service_address, resolve_user
from flinkyarn.client.remote import remote_descriptor
from yarnemu.client.http import AgentHttpClient
from yarnemu.events import EventLog

__all__ = ["CliContext"]


class CliContext:
    """
    :param reactor: the reactor (real time).
    :param environ: the environment (a mapping).
    :param console: the :class:`~flinkyarn.cli.console.Console`.
    :param stdin: standard input (a text stream), read by an attached ``yarn-session``.
    :param http: the :class:`~yarnemu.client.http.IHttpClient` (default: an
        ``AgentHttpClient`` on ``reactor``).

    :ivar http: the HTTP client, a :class:`~flinkyarn.cli.reachability.ReachabilityRecorder`.
    :ivar events: the :class:`~yarnemu.events.EventLog` the Flink client logs to.
    :ivar interrupted: set when the command was interrupted (Ctrl-C, SIGTERM).
    """

    def __init__(self, reactor, environ, console, stdin=None, http=None):
        self.reactor = reactor
        self.environ = dict(environ)
        self.console = console
        self.stdin = stdin
        self.http = ReachabilityRecorder(http if http is not None else AgentHttpClient(reactor))
        self.events = EventLog(reactor)
        self.interrupted = False
        self.address = None
        self._interrupt_hooks = []

    @property
    def user(self):
        """The YARN user: ``$HADOOP_USER_NAME``, else the login name."""
        return resolve_user(self.environ)

    @property
    def login_name(self):
        """The local user (Java's ``user.name``), whom the properties file is named after."""
        return getpass.getuser()

    def service_address(self, command_line):
        """:return: the :class:`~flinkyarn.client.remote.ServiceAddress` for ``command_line``
        (its ``--rm``/``--webhdfs``, the environment, the endpoints file, the defaults)."""
        self.address = resolve_service_address(command_line.value(RM_URL),
                                               command_line.value(WEBHDFS_URL), self.environ)
        return self.address

    def flink_home(self, command_line, *property_options):
        """
        :param property_options: the ``-D`` options of the action (``-D``, ``-yD``).
        :return: the :class:`~flinkyarn.client.flink_home.FlinkHome` (see
            :mod:`~flinkyarn.cli.distribution`).
        """
        properties = {}
        for option in property_options or (DYNAMIC_PROPERTIES,):
            properties.update(command_line.properties(option))
        return open_flink_home(flink_home_directory(self.environ), properties)

    def descriptor(self, configuration, flink_home):
        """
        :return: a ``YarnClusterDescriptor`` deploying onto the service at the address
            :meth:`service_address` resolved, acting as :attr:`user`, whose client output the
            console shows, and whose deployments an interruption cancels
            (:class:`~flinkyarn.cli.deployment_guard.InterruptibleDescriptor`).
        """
        descriptor = remote_descriptor(self.reactor, self.address, self.user, flink_home,
                                       configuration, http=self.http, events=self.events)
        self.console.follow(descriptor.log)
        return InterruptibleDescriptor(descriptor, self)

    def on_interrupt(self, hook):
        """Call ``hook()`` (it may return a Deferred) if the command is interrupted, as a JVM
        shutdown hook runs on Ctrl-C."""
        self._interrupt_hooks.append(hook)

    def interrupt(self):
        """
        The command is being interrupted: run the hooks, newest first, each failure ignored.

        :return: a Deferred firing when they are done.
        """
        self.interrupted = True
        hooks, self._interrupt_hooks = self._interrupt_hooks[::-1], []
        return DeferredList([maybeDeferred(hook) for hook in hooks], consumeErrors=True)

    def close(self):
        """Close the HTTP connections; :return: a Deferred or ``None``."""
        return self.http.close()
