"""
Application mode: the user's ``main()`` runs inside the JobManager, as Flink's
``ApplicationDispatcherBootstrap`` runs it.

Each ``env.execute()`` submits the job straight to the Dispatcher (the ``EmbeddedExecutor``) and,
attached, waits for its result while virtual time passes (:class:`~flinkyarn.program_runner.ProgramRunner`);
``execute_async`` returns at once.  When ``main()`` returns and every job it submitted is done,
the cluster shuts down SUCCEEDED (unless ``execution.shutdown-on-application-finish`` is false);
a job that failed or was cancelled under an attached ``execute()`` ends the application with that
job's status; any other error from ``main()`` — or a ``main()`` with no ``execute()`` call — is
fatal to the JobManager.
"""

import contextvars

from twisted.internet.defer import gatherResults, maybeDeferred
from zope.interface import implementer

from flinkyarn.api.environment import IPipelineExecutor, StreamExecutionEnvironment
from flinkyarn.api.execution_results import JobClient, to_job_execution_result
from flinkyarn.config import options
from flinkyarn.program_runner import ProgramRunner, current_runner
from flinkyarn.runtime.errors import (
    ApplicationExecutionException,
    FlinkException,
    JobCancellationException,
    JobExecutionException,
)
from flinkyarn.runtime.messages import SerializedThrowable
from flinkyarn.states import ApplicationStatus

__all__ = ["EmbeddedExecutor", "ApplicationDispatcherBootstrap"]

_LOGGER = "org.apache.flink.client.deployment.application.ApplicationDispatcherBootstrap"


@implementer(IPipelineExecutor)
class EmbeddedExecutor:
    """Submits a program's jobs to the Dispatcher of the cluster it runs in."""

    def __init__(self, dispatcher):
        self._dispatcher = dispatcher
        self.submitted = []

    def execute(self, job_graph):
        job_id = self._submit(job_graph)
        return to_job_execution_result(
            current_runner().wait(self._dispatcher.request_job_result(job_id)))

    def execute_async(self, job_graph):
        return JobClient(self._submit(job_graph), _EmbeddedCluster(self._dispatcher))

    def _submit(self, job_graph):
        job_id = self._dispatcher.submit_job(job_graph)
        self.submitted.append(job_id)
        return job_id


class _EmbeddedCluster:
    """What an application's :class:`JobClient` talks to: the Dispatcher, answers as Deferreds."""

    def __init__(self, dispatcher):
        self._dispatcher = dispatcher

    def get_job_status(self, job_id):
        return maybeDeferred(self._dispatcher.request_job_status, job_id)

    def cancel(self, job_id):
        return maybeDeferred(self._dispatcher.cancel_job, job_id)

    def request_job_result(self, job_id):
        return self._dispatcher.request_job_result(job_id)


class ApplicationDispatcherBootstrap:
    """
    :param dispatcher: the cluster's Dispatcher.
    :param main: the program's entry point; ``args`` its arguments.
    :param config: the cluster's configuration (the programs' environment reads it).
    :param ids: an :class:`~flinkyarn.ids.IdGenerator` for the programs' job ids.
    :param log: the process's log; ``clock`` its scoped clock.
    :param on_fatal: called with an error that is fatal to the JobManager.
    """

    def __init__(self, dispatcher, main, args, config, ids, log, clock, on_fatal):
        self._dispatcher = dispatcher
        self._main = main
        self._args = list(args)
        self._config = config
        self._ids = ids
        self._log = log
        self._clock = clock
        self._on_fatal = on_fatal
        self.executor = EmbeddedExecutor(dispatcher)
        self.runner = None

    def run(self):
        """Start ``main()``; what happens next is up to it."""
        executor = self.executor
        config = self._config
        ids = self._ids
        uninstall = StreamExecutionEnvironment.install_context(
            lambda configuration=None: StreamExecutionEnvironment(config, executor, ids))
        try:
            self.runner = ProgramRunner(self._main, self._args, contextvars.copy_context())
        finally:
            uninstall()
        self._clock.on_close(self.runner.abort)
        self.runner.start().addCallbacks(self._main_returned, self._main_failed)

    def _main_returned(self, value):
        submitted = self.executor.submitted
        if not submitted:
            self._failed_unexpectedly(ApplicationExecutionException(
                "The application contains no execute() calls."))
            return
        results = [self._dispatcher.request_job_result(job_id) for job_id in submitted]
        gatherResults(results).addCallback(self._all_jobs_done)

    def _all_jobs_done(self, results):
        for result in results:
            if not result.success:
                self._log.info(_LOGGER, f"Application {result.application_status.value}: "
                                        f"{result.error}")
                self._finish(result.application_status)
                return
        self._log.info(_LOGGER, "Application completed SUCCESSFULLY")
        self._finish(ApplicationStatus.SUCCEEDED)

    def _main_failed(self, failure):
        error = failure.value
        if isinstance(error, JobExecutionException):
            status = (ApplicationStatus.CANCELED if isinstance(error, JobCancellationException)
                      else ApplicationStatus.FAILED)
            self._log.info(_LOGGER, f"Application {status.value}: {error.message}")
            self._finish(status)
            return
        self._failed_unexpectedly(error)

    def _failed_unexpectedly(self, error):
        """Not a job's failure: fatal to the JobManager, which exits without unregistering."""
        self._log.warn(_LOGGER, f"Application failed unexpectedly: {SerializedThrowable.of(error)}")
        fatal = FlinkException("Application failed unexpectedly.")
        fatal.__cause__ = error
        self._on_fatal(fatal)

    def _finish(self, status):
        """Shut the cluster down with ``status``, unless it is to outlive its application."""
        if self._config.get(options.SHUTDOWN_ON_APPLICATION_FINISH):
            self._dispatcher.shut_down_cluster(status)
