"""
Running a user program from the client: the :class:`~flinkyarn.api.IPipelineExecutor`\\ s that
``env.execute()`` hands its JobGraph to, and :func:`run_program`, which runs a program's ``main``
in a :class:`~flinkyarn.program_runner.ProgramRunner` with an executor installed.

- :class:`SessionPipelineExecutor` (``yarn-session``) submits to a running session cluster.
- :class:`PerJobPipelineExecutor` (``yarn-per-job``) deploys a cluster for the job, which ships
  as ``job.graph``; like a per-job client it allows one job per program.

Both behave as Flink's ``StreamContextEnvironment``: ``execute_async`` submits and prints
``Job has been submitted with JobID <id>``; ``execute`` does the same and then, when
``execution.attached`` is true, waits for the job's result (letting virtual time pass), prints it
and returns a :class:`~flinkyarn.api.execution_results.JobExecutionResult` — or raises
``JobExecutionException`` — else returns a ``DetachedJobExecutionResult`` at once.  Called from a
program run by a :class:`ProgramRunner`, they block; called from anywhere else, they return a
Deferred.
"""

import contextvars

from twisted.internet.defer import fail, inlineCallbacks
from zope.interface import implementer

from flinkyarn.api.environment import IPipelineExecutor, StreamExecutionEnvironment
from flinkyarn.client.client_log import JOB_CLUSTER_EXECUTOR
from flinkyarn.client.cluster_specification import ClusterSpecification
from flinkyarn.client.errors import FlinkRuntimeException
from flinkyarn.api.execution_results import DetachedJobExecutionResult, JobClient
from flinkyarn.config import Configuration
from flinkyarn.config import options as o
from flinkyarn.examples.loader import ProgramInvocationException, load_program
from flinkyarn.program_runner import ProgramRunner, current_runner
from yarnemu.records.ids import ApplicationId

__all__ = ["SessionPipelineExecutor", "PerJobPipelineExecutor", "run_program", "program_runner",
           "main_method_error"]


def _block(deferred):
    """Inside a running program: wait for ``deferred``; elsewhere: return it."""
    runner = current_runner()
    if runner is None:
        return deferred
    return runner.wait(deferred)


class _ClientPipelineExecutor:
    """
    What both executors share: submission, the console output, and waiting when attached.

    :param configuration: the client's configuration (``execution.attached``).
    :param log: the :class:`~flinkyarn.client.client_log.ClientLog` to print to.
    """

    def __init__(self, configuration, log):
        self.configuration = configuration
        self.attached = configuration.get(o.EXECUTION_ATTACHED)
        self._log = log

    def execute(self, job_graph):
        self._before_submission()
        return _block(self._execute(job_graph))

    def execute_async(self, job_graph):
        self._before_submission()
        return _block(self._submit_and_print(job_graph))

    @inlineCallbacks
    def _execute(self, job_graph):
        job_client = yield self._submit_and_print(job_graph)
        if not self.attached:
            return DetachedJobExecutionResult(job_client.job_id)
        result = yield job_client.get_job_execution_result()
        self._log.print(str(result), job_client.cluster.application_id)
        return result

    @inlineCallbacks
    def _submit_and_print(self, job_graph):
        job_client = yield self._submit(job_graph)
        self._log.print(f"Job has been submitted with JobID {job_client.job_id}",
                        job_client.cluster.application_id)
        return job_client

    def _before_submission(self):
        """A check before each job (raises to refuse it)."""

    def _submit(self, job_graph):
        """:return: a Deferred firing with the :class:`JobClient` of the submitted job."""
        raise NotImplementedError()


@implementer(IPipelineExecutor)
class SessionPipelineExecutor(_ClientPipelineExecutor):
    """
    Submits jobs to a running session cluster.

    :param cluster_client: the session's :class:`~flinkyarn.client.cluster_client.ClusterClient`,
        or ``None`` to retrieve the session ``yarn.application.id`` names through ``descriptor``
        for each job, as Flink's session executor does.
    :param configuration: the client's configuration.
    :param log: the :class:`~flinkyarn.client.client_log.ClientLog`.
    :param descriptor: the :class:`~flinkyarn.client.cluster_descriptor.YarnClusterDescriptor`
        to retrieve the session with.
    """

    def __init__(self, cluster_client, configuration, log, descriptor=None):
        super().__init__(configuration, log)
        if cluster_client is None and descriptor is None:
            raise ValueError("a session executor needs a cluster client or a descriptor")
        self._cluster_client = cluster_client
        self._descriptor = descriptor

    @inlineCallbacks
    def _submit(self, job_graph):
        cluster_client = self._cluster_client
        if cluster_client is None:
            application_id = ApplicationId.parse(self.configuration.get(o.YARN_APPLICATION_ID))
            cluster_client = yield self._descriptor.retrieve(application_id)
        job_id = yield cluster_client.submit_job(job_graph)
        return JobClient(job_id, cluster_client)


@implementer(IPipelineExecutor)
class PerJobPipelineExecutor(_ClientPipelineExecutor):
    """
    Deploys a per-job cluster for the program's job: detached (the cluster ends with the job)
    unless ``execution.attached`` is true.  A second job is refused with
    ``FlinkRuntimeException``.

    :param descriptor: the :class:`~flinkyarn.client.cluster_descriptor.YarnClusterDescriptor`.
    :param configuration: the client's configuration; the cluster's sizes are derived from it
        (:class:`~flinkyarn.client.cluster_specification.ClusterSpecification`).
    :param on_deployed: called with each cluster's client as soon as it is deployed (before the
        job's result, which an attached execution waits for).
    :ivar list cluster_clients: the clients of the clusters deployed so far.
    """

    def __init__(self, descriptor, configuration, on_deployed=None):
        super().__init__(configuration, descriptor.log)
        self._descriptor = descriptor
        self._jobs = 0
        self._on_deployed = on_deployed
        self.cluster_clients = []

    def _before_submission(self):
        if self._jobs > 0:
            raise FlinkRuntimeException("Cannot have more than one execute() or executeAsync() "
                                        "call in a single environment.")
        self._jobs += 1

    @inlineCallbacks
    def _submit(self, job_graph):
        spec = ClusterSpecification.from_configuration(self.configuration)
        cluster_client = yield self._descriptor.deploy_job_cluster(spec, job_graph,
                                                                   not self.attached)
        self.cluster_clients.append(cluster_client)
        if self._on_deployed is not None:
            self._on_deployed(cluster_client)
        self._log.info(f"Job has been submitted with JobID {job_graph.job_id}",
                       cluster_client.application_id, JOB_CLUSTER_EXECUTOR)
        return JobClient(job_graph.job_id, cluster_client)


def run_program(program, args, executor, configuration, id_generator=None):
    """
    Run a program's ``main(args)`` in a :class:`~flinkyarn.program_runner.ProgramRunner`, with
    ``executor`` installed as the context of ``StreamExecutionEnvironment``.

    :param str program: a built-in program (``wordcount``, ``streaming-window``) or
        ``path/to/file.py[:function]``.
    :param args: the program's arguments.
    :param executor: an :class:`~flinkyarn.api.IPipelineExecutor`.
    :param configuration: the client's :class:`~flinkyarn.config.Configuration`; a program's own
        settings (``get_execution_environment(config)``) apply over it.
    :param id_generator: the :class:`~flinkyarn.ids.IdGenerator` of the program's JobIDs (by
        default the process's, so that programs never share a JobID; pass one to make ids
        reproducible).
    :return: a Deferred firing with ``main``'s return value, or failing with a
        :class:`ProgramInvocationException`: for a program that cannot be loaded, or — as
        Flink's ``PackagedProgram.callMainMethod`` — ``The main method caused an error: …``
        with what ``main`` raised as its ``__cause__``.
    """
    try:
        main = load_program(program)
    except ProgramInvocationException as error:
        return fail(error)
    return program_runner(main, args, executor, configuration, id_generator).start().addErrback(
        main_method_error)


def program_runner(main, args, executor, configuration, id_generator=None):
    """
    :return: a :class:`~flinkyarn.program_runner.ProgramRunner`, not started yet, that runs
        ``main(args)`` with ``executor`` installed as :func:`run_program` does (the parameters
        are :func:`run_program`'s, ``main`` the loaded entry point).  Its result's errors are
        as ``main`` raised them; :func:`main_method_error` words them as Flink does.
    """
    def environment(program_configuration=None):
        merged = configuration
        if program_configuration is not None:
            merged = configuration.with_values(Configuration(program_configuration).entries)
        return StreamExecutionEnvironment(merged, executor, id_generator)

    context = contextvars.copy_context()
    context.run(StreamExecutionEnvironment.install_context, environment)
    return ProgramRunner(main, list(args), context=context)


def main_method_error(failure):
    """
    An errback: what ``main`` raised, as Flink's ``PackagedProgram.callMainMethod`` reports it —
    ``ProgramInvocationException: The main method caused an error: …`` with the error as its
    ``__cause__`` (a ``ProgramInvocationException`` passes unchanged).
    """
    error = failure.value
    if isinstance(error, ProgramInvocationException):
        return failure
    message = getattr(error, "message", None) or str(error)
    raise ProgramInvocationException(f"The main method caused an error: {message}") from error
