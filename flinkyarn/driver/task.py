"""
:class:`FlinkDriver`: what a driver task does in its slot once it is RUNNING — run the program's
``main(args)`` (in a :class:`~flinkyarn.program_runner.ProgramRunner`, so that its
``execute()`` calls wait in virtual time) with the execution environment of a client of its own
cluster: a :class:`~flinkyarn.client.cluster_client.ClusterClient` for the cluster's REST
endpoint (``rest.address``/``rest.port`` of the TaskManager's configuration) behind a
:class:`~flinkyarn.driver.executor.DriverPipelineExecutor`.

- ``main()`` returns: the task FINISHES (jobs it started with ``execute_async`` run on).
- ``main()`` raises (or the program does not load): the jobs it submitted that it did not see
  end are cancelled, and the task FAILS with :func:`~flinkyarn.driver.program.driver_failure`.
- The task is cancelled or failed from outside (the driver job is cancelled, say): ``main()`` is
  abandoned where it waits and the jobs it submitted that it did not see end are cancelled.
- The TaskManager process ends: ``main()`` is abandoned (nothing more can be sent).

Its console output and its client's log go to the TaskManager's log.  The JobIDs of its jobs
are derived from the driver task's attempt id, so that a run is reproducible.
"""

import zlib

from flinkyarn.client.client_log import REST_CLUSTER_CLIENT
from flinkyarn.client.cluster_client import ClusterClient
from flinkyarn.client.executors import SessionPipelineExecutor, main_method_error, program_runner
from flinkyarn.config import Configuration
from flinkyarn.driver.executor import DriverPipelineExecutor
from flinkyarn.driver.program import driver_failure, load_driver_main
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.ids import IdGenerator
from flinkyarn.rest.transport import InProcessRestTransport

__all__ = ["FlinkDriver", "DRIVER_LOGGER"]

DRIVER_LOGGER = "org.apache.flink.client.driver.FlinkDriver"
"""The logger of the driver's own lines and its console output (an emulator name: FLIP-40 was
never released)."""


class FlinkDriver:
    """
    :param program: the :class:`~flinkyarn.graph.driver_program.DriverProgram`.
    :param tdd: the driver task's ``TaskDeploymentDescriptor`` (its job name is the prefix of
        its jobs' names; its attempt id seeds their JobIDs).
    :param clock: the TaskManager process's clock; ``log`` its log; ``network`` the cluster's.
    :param configuration: the ``TaskManagerConfiguration`` (``rest_address``, ``rest_port``).
    """

    def __init__(self, program, tdd, clock, log, network, configuration):
        self._program = program
        self._tdd = tdd
        self._clock = clock
        self._log = log
        self._network = network
        self._rest = (configuration.rest_address, configuration.rest_port)
        self._runner = None
        self._client = None
        self._executor = None
        self._stopped = False

    def start(self, on_returned, on_failed):
        """
        Run ``main()``: ``on_returned()`` once it returned, or ``on_failed(cause)`` with the task's
        failure cause (a ``SerializedThrowable``).
        """
        program = self._program
        self._info(f"Running the main() of {program.entry} with arguments "
                   f"{list(program.args)}.")
        host, port = self._rest
        try:
            main = load_driver_main(program)
            if host is None:
                raise ProgramInvocationException(
                    "The driver does not know its cluster's REST endpoint (rest.address).")
        except ProgramInvocationException as error:
            on_failed(driver_failure(error, program))
            return
        configuration = Configuration(dict(program.configuration))
        log = _DriverLog(self._log)
        self._client = ClusterClient(None, host, port, InProcessRestTransport(self._network, host,
                                                                              port),
                                     self._clock, log, configuration=configuration)
        self._executor = DriverPipelineExecutor(
            SessionPipelineExecutor(self._client, configuration, log), self._tdd.job_name)
        ids = IdGenerator(zlib.crc32(str(self._tdd.execution_attempt_id).encode("utf-8")))
        self._runner = program_runner(main, program.args, self._executor, configuration, ids)
        self._clock.on_close(self._runner.abort)

        def returned(_):
            self._info(f"The main() of {program.entry} returned.")
            on_returned()

        def failed(failure):
            cause = driver_failure(failure.value, program)
            self._log.warn(DRIVER_LOGGER, f"The main() of {program.entry} failed: "
                                          f"{failure.value.message}")
            self._cancel_unfinished()
            on_failed(cause)

        self._runner.start().addErrback(main_method_error).addCallbacks(returned, failed)

    def stop(self):
        """The task is cancelled or failed from outside: abandon ``main()``, cancel its jobs."""
        if self._stopped:
            return
        unfinished = self._executor.unfinished() if self._executor is not None else []
        if self._runner is not None:
            self._runner.abort()
        self._cancel(unfinished)

    def _cancel_unfinished(self):
        self._cancel(self._executor.unfinished() if self._executor is not None else [])

    def _cancel(self, unfinished):
        self._stopped = True
        for job_id in unfinished:
            self._info(f"Cancelling job {job_id}.")
            self._client.cancel(job_id).addErrback(self._cancel_failed, job_id)

    def _cancel_failed(self, failure, job_id):
        self._log.warn(DRIVER_LOGGER, f"Could not cancel job {job_id}: "
                                      f"{getattr(failure.value, 'message', None) or failure.value}")

    def _info(self, message):
        self._log.info(DRIVER_LOGGER, message)


class _DriverLog:
    """The client log of a driver (what :class:`~flinkyarn.client.client_log.ClientLog` is to a
    client process): its lines and console output go to the TaskManager's log."""

    def __init__(self, log):
        self._log = log
        self.printed = []

    def info(self, message, subject="", logger=REST_CLUSTER_CLIENT):
        self._log.info(logger, message)

    def warn(self, message, subject="", logger=REST_CLUSTER_CLIENT):
        self._log.warn(logger, message)

    def error(self, message, subject="", logger=REST_CLUSTER_CLIENT):
        self._log.error(logger, message)

    def print(self, text, subject=""):
        self.printed.append(text)
        self._log.info(DRIVER_LOGGER, text)
