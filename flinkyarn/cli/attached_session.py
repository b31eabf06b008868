"""
:class:`AttachedSession`: how an attached ``yarn-session`` waits, as ``FlinkYarnSessionCli``'s
``runInteractiveCli`` with its ``YarnApplicationStatusMonitor``:

* the application report is read every second: FAILED or KILLED end the wait with ``The Flink
  Yarn cluster has failed.`` on stderr; a report that cannot be read for more than 15 s
  (5 × the 3 s polling interval) ends it with ``The Flink Yarn cluster is in an unknown state.
  Please check the Yarn cluster.``; any other state keeps it going (a session another client
  stopped, FINISHED, too, as in Flink);
* standard input is read line by line: ``stop`` or ``quit`` end the wait, ``help`` prints the
  commands on stderr, anything else ``Unknown command '<line>'. Showing help:`` and the
  commands; the end of the input changes nothing (the session stays until stopped or
  interrupted);
* :meth:`AttachedSession.stop` ends it from outside (Ctrl-C).

Standard input is read by a daemon thread, so that a process that ends never waits for it.
"""

import threading

from twisted.internet.defer import Deferred

from yarnemu.records.states import YarnApplicationState

__all__ = ["AttachedSession", "SESSION_HELP", "UPDATE_INTERVAL_S", "UNKNOWN_LIMIT_S"]

SESSION_HELP = "Available commands:\nhelp - show these commands\nstop - stop the YARN session"
UPDATE_INTERVAL_S = 1.0
UNKNOWN_LIMIT_S = 5 * 3.0

_FAILED_STATES = (YarnApplicationState.FAILED, YarnApplicationState.KILLED)


class AttachedSession:
    """
    :param reactor: the reactor (``IReactorTime``, ``IReactorThreads``).
    :param yarn_client: an ``IYarnClient``.
    :param application_id: the session's application id.
    :param console: the :class:`~flinkyarn.cli.console.Console`.
    :param stdin: a text stream to read commands from, or ``None``.
    """

    def __init__(self, reactor, yarn_client, application_id, console, stdin=None):
        self._reactor = reactor
        self._yarn = yarn_client
        self._application_id = application_id
        self._console = console
        self._stdin = stdin
        self._done = Deferred()
        self._call = None
        self._unknown_since = None
        self._failed = False

    def wait(self):
        """
        Start watching.

        :return: a Deferred firing with the reason the wait ended: ``"stop"`` (the user),
            ``"failed"``, ``"unknown"`` or ``"interrupted"``.
        """
        self._unknown_since = self._reactor.seconds()
        self._update()
        if self._stdin is not None:
            threading.Thread(target=self._read_lines, name="flinkyarn-session-stdin",
                             daemon=True).start()
        return self._done

    def stop(self, reason="interrupted"):
        """End the wait (e.g. on Ctrl-C)."""
        self._finish(reason)

    # The application's status

    def _update(self):
        self._call = None
        if self._done.called:
            return
        self._yarn.get_application_report(self._application_id).addCallbacks(
            self._reported, self._not_reported)

    def _reported(self, report):
        if report.yarn_application_state in _FAILED_STATES:
            self._console.error("The Flink Yarn cluster has failed.")
            self._finish("failed")
            return
        self._unknown_since = None
        self._schedule()

    def _not_reported(self, failure):
        now = self._reactor.seconds()
        if self._unknown_since is None:
            self._unknown_since = now
        if now - self._unknown_since > UNKNOWN_LIMIT_S:
            self._console.error("The Flink Yarn cluster is in an unknown state. Please check "
                                "the Yarn cluster.")
            self._finish("unknown")
            return
        self._schedule()

    def _schedule(self):
        if not self._done.called:
            self._call = self._reactor.callLater(UPDATE_INTERVAL_S, self._update)

    # Commands

    def _read_lines(self):
        while True:
            try:
                line = self._stdin.readline()
            except (OSError, ValueError):
                return
            if not line:
                return
            self._reactor.callFromThread(self.command, line.rstrip("\r\n"))

    def command(self, command):
        """Act on one line the user typed: ``stop``/``quit``, ``help``, or anything else."""
        if self._done.called:
            return
        if command in ("quit", "stop"):
            self._finish("stop")
        elif command == "help":
            self._console.error(SESSION_HELP)
        else:
            self._console.error(f"Unknown command '{command}'. Showing help:")
            self._console.error(SESSION_HELP)

    def _finish(self, reason):
        if self._done.called:
            return
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None
        self._done.callback(reason)
