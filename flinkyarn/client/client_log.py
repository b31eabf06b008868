"""
:class:`ClientLog`: the Flink client's log lines and console output, in the cluster's one event
stream, worded as Flink's client words them, each line under the Java logger (class) that logs it
in Flink, so that a console can show what Flink's ``log4j-cli.properties`` would.
"""

__all__ = [
    "ClientLog",
    "CLIENT_SOURCE",
    "YARN_CLUSTER_DESCRIPTOR",
    "YARN_APPLICATION_FILE_UPLOADER",
    "REST_CLUSTER_CLIENT",
    "JOB_CLUSTER_EXECUTOR",
]

CLIENT_SOURCE = "FlinkClient"
"""The component name of every client event."""

YARN_CLUSTER_DESCRIPTOR = "org.apache.flink.yarn.YarnClusterDescriptor"
"""The logger of the YARN deployment: the default."""

YARN_APPLICATION_FILE_UPLOADER = "org.apache.flink.yarn.YarnApplicationFileUploader"
REST_CLUSTER_CLIENT = "org.apache.flink.client.program.rest.RestClusterClient"
JOB_CLUSTER_EXECUTOR = "org.apache.flink.client.deployment.executors.AbstractJobClusterExecutor"


class ClientLog:
    """
    :param events: the cluster's :class:`~yarnemu.events.EventLog`, or ``None`` to log nowhere.

    :ivar list printed: what the client printed to its console (``Job has been submitted with
        JobID …``, job results), in order.
    """

    def __init__(self, events):
        self._events = events
        self._listeners = []
        self.printed = []

    def subscribe(self, listener):
        """
        Call ``listener(level, logger, message)`` for each line from now on; ``logger`` is
        ``None`` for what the client printed to its console.

        :return: a function that unsubscribes it.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def info(self, message, subject="", logger=YARN_CLUSTER_DESCRIPTOR):
        self._log("INFO", logger, message, subject)

    def warn(self, message, subject="", logger=YARN_CLUSTER_DESCRIPTOR):
        self._log("WARN", logger, message, subject)

    def error(self, message, subject="", logger=YARN_CLUSTER_DESCRIPTOR):
        self._log("ERROR", logger, message, subject)

    def print(self, text, subject=""):
        """Console output: kept in :attr:`printed` and logged at INFO."""
        self.printed.append(text)
        self._log("INFO", None, text, subject)

    def _log(self, level, logger, message, subject):
        if self._events is not None:
            self._events.log(CLIENT_SOURCE, level, message, subject_id=str(subject or ""))
        for listener in list(self._listeners):
            listener(level, logger, message)
