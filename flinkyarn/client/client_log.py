"""
:class:`ClientLog`: the Flink client's log lines and console output, in the cluster's one event
stream, worded as Flink's client words them.
"""

__all__ = ["ClientLog", "CLIENT_SOURCE"]

CLIENT_SOURCE = "FlinkClient"
"""The component name of every client event."""


class ClientLog:
    """
    :param events: the cluster's :class:`~yarnemu.events.EventLog`, or ``None`` to log nowhere.

    :ivar list printed: what the client printed to its console (``Job has been submitted with
        JobID …``, job results), in order, for a command-line surface to show.
    """

    def __init__(self, events):
        self._events = events
        self.printed = []

    def info(self, message, subject=""):
        self._log("INFO", message, subject)

    def warn(self, message, subject=""):
        self._log("WARN", message, subject)

    def error(self, message, subject=""):
        self._log("ERROR", message, subject)

    def print(self, text, subject=""):
        """Console output: kept in :attr:`printed` and logged at INFO."""
        self.printed.append(text)
        self._log("INFO", text, subject)

    def _log(self, level, message, subject):
        if self._events is not None:
            self._events.log(CLIENT_SOURCE, level, message, subject_id=str(subject or ""))
