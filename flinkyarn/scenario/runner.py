"""
:class:`ScenarioRun`: one run of a :class:`~flinkyarn.scenario.model.Scenario` on a fresh
:class:`~flinkyarn.flink_on_yarn.FlinkOnYarn`, in virtual time.

The cluster is built from the ``cluster:`` block and started; once its NodeManagers have
registered, that instant is the scenario's ``0s``.  Every step is scheduled on the virtual clock
at its time (steps at the same time in file order), then every timed expectation (so an
expectation at ``1m`` sees what the steps at ``1m`` did).  Steps act as a user or an operator
would, through Flink's client and YARN's: a deploy runs ``YarnClusterDescriptor`` (a driver
deploy submits a FLIP-40 driver job, to its session or to a per-job cluster of its own, as
``flinkyarn run --driver`` does), a submit runs the program against the session with Flink's
session executor, a cancel or a stop goes through
the cluster client (Flink REST), a kill-app through the YARN client; faults go to the process or
the machine (``kill -9`` of a container, a task throwing, a node dying).

A step that fails (a deploy YARN refuses, a program that raises) does not stop the run: its error
is an event in the stream, and expectations say whether that was what should happen.

The run ends at ``run-until``, or earlier when nothing is left to happen: every step taken, every
timed expectation checked, and every application and container done.  Then the expectations
``at: end`` are checked.  Only the seed and the file decide what happens: the same file and
seed give the same event stream, byte for byte.

While the run goes, the objects that existed when it began (the started cluster, and whatever the
process held before) are frozen out of the cyclic garbage collector (``gc.freeze``) so that its
full collections do not walk them again and again; they are handed back when the run ends.  This
changes no behaviour, only the time the collector takes.
"""

import gc
import os

from twisted.internet.defer import Deferred, maybeDeferred, succeed
from twisted.python.failure import Failure
from zope.interface import implementer

from flinkyarn.api import IPipelineExecutor
from flinkyarn.client import SessionPipelineExecutor, run_program
from flinkyarn.client.application_configuration import ApplicationConfiguration
from flinkyarn.client.executors import PerJobPipelineExecutor
from flinkyarn.config import options as o
from flinkyarn.driver import driver_job_graph
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.flink_on_yarn import FlinkOnYarn
from flinkyarn.ids import IdGenerator, JobID
from flinkyarn.scenario.events import ExpectationChecked, StepFailed, StepTaken
from flinkyarn.scenario.expectations import check
from flinkyarn.scenario.model import APPLICATION, DRIVER, JOBMANAGER, PER_JOB, SESSION, Deploy
from flinkyarn.scenario.reader import scenario_yarn_configuration
from flinkyarn.scenario.records import RunRecords
from flinkyarn.scenario.timeline import shown_in_timeline
from flinkyarn.scenario.usage import ClusterUsage
from yarnemu.events import AppStateChanged, AppSubmitted
from yarnemu.records.states import RMContainerState
from yarnemu.timeline import TimelinePrinter

__all__ = ["ScenarioRun", "ExpectationResult"]

_TARGETS = {SESSION: "yarn-session", PER_JOB: "yarn-per-job", APPLICATION: "yarn-application",
            DRIVER: "yarn-per-job"}


class ExpectationResult:
    """An expectation, checked: the :class:`~flinkyarn.scenario.model.Expectation`, its
    :class:`~flinkyarn.scenario.expectations.Outcome`, and the time (epoch ms) it was checked."""

    def __init__(self, expectation, outcome, time_ms):
        self.expectation = expectation
        self.outcome = outcome
        self.time_ms = time_ms

    @property
    def passed(self):
        return self.outcome.passed

    @property
    def counts(self):
        """Whether it decides the run's verdict (an optional one never does)."""
        return not self.expectation.optional


class _Cluster:
    """What the scenario holds of one deployment: its step, config, client and outcome."""

    def __init__(self, deploy, config):
        self.deploy = deploy
        self.config = config
        self.descriptor = None
        self.client = None
        self.error = None
        self._waiting = []

    def when_ready(self):
        """:return: a Deferred firing with the cluster client once deployed (or failing)."""
        waiting = Deferred()
        if self.client is not None:
            waiting.callback(self.client)
        elif self.error is not None:
            waiting.errback(RuntimeError(f"cluster {self.deploy.name} was not deployed: "
                                         f"{self.error}"))
        else:
            self._waiting.append(waiting)
        return waiting

    def deployed(self, client):
        self.client = client
        for waiting in self._waiting:
            waiting.callback(client)
        self._waiting = []

    def failed(self, message):
        self.error = message
        for waiting in self._waiting:
            waiting.errback(RuntimeError(f"cluster {self.deploy.name} was not deployed: "
                                         f"{message}"))
        self._waiting = []


class ScenarioRun:
    """
    :param scenario: the :class:`~flinkyarn.scenario.model.Scenario`.
    :param data_dir: a directory for the cluster's data (fake HDFS, NodeManager dirs, Flink).
    :param seed: overrides the scenario's ``seed``.
    :param listeners: callables subscribed to the event stream before anything happens.
    :param timeline: a text stream to print the run's timeline on as it happens (from ``0s``:
        the cluster's start-up is in the event stream, not in the timeline), or ``None``.
    :param dist_size: the Flink distribution stand-in's sizes (``realistic`` or ``tiny``).

    :ivar flink: the :class:`~flinkyarn.flink_on_yarn.FlinkOnYarn`.
    :ivar records: the :class:`~flinkyarn.scenario.records.RunRecords`.
    :ivar usage: the :class:`~flinkyarn.scenario.usage.ClusterUsage`.
    :ivar list results: :class:`ExpectationResult` values, in the order checked.
    :ivar int start_ms: the scenario's ``0s`` (epoch ms); ``end_ms`` its end.
    """

    def __init__(self, scenario, data_dir, seed=None, listeners=(), timeline=None,
                 dist_size="realistic"):
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.flink = FlinkOnYarn(
            os.path.join(str(data_dir), "run"), scenario.cluster.node_groups,
            yarn_config=scenario_yarn_configuration(scenario.cluster),
            flink_config=scenario.flink, dist_size=dist_size, seed=self.seed)
        self.clock = self.flink.clock
        self.events = self.flink.events
        self.records = RunRecords()
        self.usage = ClusterUsage()
        for listener in (self.records, self.usage, self._follow, *listeners):
            self.events.subscribe(listener)
        self.results = []
        self._timeline = timeline
        self.start_ms = self.end_ms = None
        self.ended_by = None
        self._ids = IdGenerator(self.seed)
        self._clusters = {}
        self._app_ids = {}
        self._live_apps = set()
        self._steps_left = len(scenario.steps)
        self._timed_left = sum(1 for e in scenario.expectations if e.at_ms is not None)

    # Running

    def run(self, progress=None):
        """
        Run the scenario to its end and check its expectations.

        :param progress: called with ``(done_ms, total_ms)`` of virtual time as the run goes.
        :return: ``self``.
        """
        self.flink.start()
        self.start_ms = self._now_ms()
        start = self.clock.seconds()
        if self._timeline is not None:
            self.events.subscribe(TimelinePrinter(self._timeline, self.start_ms,
                                                  select=shown_in_timeline))
        for step in self.scenario.steps:
            self.clock.callAt(start + step.at_ms / 1000, self._take, step)
        for expectation in self.scenario.expectations:
            if expectation.at_ms is not None:
                self.clock.callAt(start + expectation.at_ms / 1000, self._check_timed,
                                  expectation)
        limit = start + self.scenario.run_until_ms / 1000

        def finished():
            if progress is not None:
                progress(self._now_ms() - self.start_ms, self.scenario.run_until_ms)
            return self._nothing_left()

        gc.freeze()
        try:
            if self.clock.run_until_true(finished, limit=limit):
                self.ended_by = "nothing left to happen"
            else:
                self.clock.run_until(limit)
                self.ended_by = "run-until"
        finally:
            gc.unfreeze()
        self.end_ms = self._now_ms()
        for expectation in self.scenario.expectations:
            if expectation.at_ms is None:
                self._check(expectation)
        return self

    @property
    def passed(self):
        """Whether every expectation that counts held."""
        return all(result.passed for result in self.results if result.counts)

    def _now_ms(self):
        return int(round(self.clock.seconds() * 1000))

    def _nothing_left(self):
        return (self._steps_left == 0 and self._timed_left == 0 and not self._live_apps
                and self.usage.live_containers == 0)

    def _follow(self, event):
        kind = type(event)
        if kind is AppSubmitted:
            self._live_apps.add(event.application_id)
            if event.name in self._clusters and event.name not in self._app_ids:
                self._app_ids[event.name] = event.application_id
        elif kind is AppStateChanged and event.to_state.is_final:
            self._live_apps.discard(event.application_id)

    # What expectations look at

    def application_id(self, name):
        """:return: the ``ApplicationId`` of the deployment ``name``, or ``None``."""
        return self._app_ids.get(name)

    def deployed_applications(self):
        """:return: deployment name → ``ApplicationId``, for every deployment YARN saw."""
        return dict(self._app_ids)

    def why_no_application(self, name):
        """:return: why the deployment ``name`` has no YARN application, for a person."""
        cluster = self._clusters.get(name)
        if cluster is None:
            if any(isinstance(s.action, Deploy) and s.action.name == name
                   for s in self.scenario.steps):
                return f"{name} is not deployed yet"
            return f"no deploy step deploys {name}"
        if cluster.error is not None:
            return f"no application: the deploy failed before submitting one: {cluster.error}"
        return f"{name} has not been submitted yet"

    def staging_dir(self, name, application_id):
        """:return: the ``.flink/<applicationId>`` directory the deployment ``name`` stages in."""
        return self._clusters[name].descriptor.application_dir(application_id)

    # Expectations

    def _check_timed(self, expectation):
        self._timed_left -= 1
        self._check(expectation)

    def _check(self, expectation):
        outcome = check(expectation.check, self)
        self.results.append(ExpectationResult(expectation, outcome, self._now_ms()))
        self.events.emit(ExpectationChecked(self._now_ms(), expectation.line, outcome.expected,
                                            outcome.passed, expectation.optional, outcome.seen))

    # Steps

    def _take(self, step):
        action = step.action
        self.events.emit(StepTaken(self._now_ms(), step.line, step.kind, action.describe()))
        outcome = maybeDeferred(getattr(self, "_" + step.kind.replace("-", "_")), action)
        outcome.addErrback(self._step_failed, step)
        outcome.addBoth(self._step_done)

    def _step_done(self, _):
        self._steps_left -= 1

    def _step_failed(self, failure, step):
        error = failure.value
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        cause = error.__cause__
        while cause is not None:
            text = getattr(cause, "message", None) or str(cause)
            if text and text not in message:
                message = f"{message} Caused by: {text}"
            cause = cause.__cause__
        self.events.emit(StepFailed(self._now_ms(), step.line, step.kind, message))

    def _cluster_config(self, deploy):
        values = {o.EXECUTION_TARGET.key: _TARGETS[deploy.mode]}
        if deploy.name is not None:
            values[o.YARN_APPLICATION_NAME.key] = deploy.name
        if deploy.queue is not None:
            values[o.YARN_APPLICATION_QUEUE.key] = deploy.queue
        if deploy.tags:
            values[o.YARN_APPLICATION_TAGS.key] = ",".join(deploy.tags)
        if deploy.priority is not None:
            values[o.YARN_APPLICATION_PRIORITY.key] = str(deploy.priority)
        if deploy.application_type is not None:
            values[o.YARN_APPLICATION_TYPE.key] = deploy.application_type
        if deploy.detached is not None:
            values[o.EXECUTION_ATTACHED.key] = "false" if deploy.detached else "true"
        elif deploy.mode in (PER_JOB, DRIVER):
            values[o.EXECUTION_ATTACHED.key] = "true"   # flink run: attached unless -d
        if deploy.parallelism is not None:
            values[o.DEFAULT_PARALLELISM.key] = str(deploy.parallelism)
        return self.flink.config.with_values(deploy.flink).with_values(values)

    def _deploy(self, deploy):
        if deploy.mode == DRIVER and deploy.session is not None:
            return self._deploy_driver_on_session(deploy)
        config = self._cluster_config(deploy)
        cluster = _Cluster(deploy, config)
        if deploy.name is not None:
            self._clusters[deploy.name] = cluster
        descriptor = cluster.descriptor = self.flink.descriptor(user=deploy.user, config=config)
        if deploy.mode == SESSION:
            deployed = descriptor.deploy_session_cluster(self.flink.specification(config))
        elif deploy.mode == APPLICATION:
            deployed = descriptor.deploy_application_cluster(
                self.flink.specification(config),
                ApplicationConfiguration(deploy.program, _program_args(deploy.program,
                                                                       deploy.args, None)))
        elif deploy.mode == DRIVER:
            return self._deploy_driver_cluster(cluster, descriptor, config)
        else:
            return self._deploy_per_job(cluster, descriptor, config)

        def failed(failure):
            cluster.failed(_message(failure.value))
            return failure

        return deployed.addCallbacks(cluster.deployed, failed)

    def _deploy_per_job(self, cluster, descriptor, config):
        deploy = cluster.deploy
        # Later steps get the cluster's client as soon as the program's execute() deployed it.
        executor = PerJobPipelineExecutor(descriptor, config, on_deployed=cluster.deployed)
        running = run_program(deploy.program, _program_args(deploy.program, deploy.args, None),
                              executor, config, self._ids)

        def settle(result):
            if executor.cluster_clients:
                return result
            if isinstance(result, Failure):
                cluster.failed(_message(result.value))
                return result
            message = f"the program {deploy.program} returned without running a job"
            cluster.failed(message)
            raise RuntimeError(message)

        return running.addBoth(settle)

    def _deploy_driver_cluster(self, cluster, descriptor, config):
        """A driver in a per-job cluster of its own (``flinkyarn run --driver -t yarn-per-job``)."""
        executor = PerJobPipelineExecutor(descriptor, config, on_deployed=cluster.deployed)
        running = maybeDeferred(self._submit_driver, executor, cluster.deploy, config)

        def settle(result):
            if not executor.cluster_clients and isinstance(result, Failure):
                cluster.failed(_message(result.value))
            return result

        return running.addBoth(settle)

    def _deploy_driver_on_session(self, deploy):
        """A driver in a session (``flinkyarn run --driver -yid <session>``)."""
        session = self._clusters[deploy.session]
        values = {o.EXECUTION_TARGET.key: "yarn-session",
                  o.EXECUTION_ATTACHED.key: "false" if deploy.detached else "true"}
        if deploy.parallelism is not None:
            values[o.DEFAULT_PARALLELISM.key] = str(deploy.parallelism)
        config = session.config.with_values(deploy.flink).with_values(values)

        def run(client):
            executor = SessionPipelineExecutor(client, config, session.descriptor.log)
            return self._submit_driver(executor, deploy, config)

        return self._current_client(deploy.session).addCallback(run)

    def _submit_driver(self, executor, deploy, config):
        graph = driver_job_graph(deploy.program, _program_args(deploy.program, deploy.args, None),
                                 config, self._ids.job_id(), deploy.driver.resource_spec(config))
        return executor.execute(graph)

    def _submit(self, submit):
        session = self._clusters[submit.cluster]
        config = session.config.with_values(submit.flink).with_values({
            o.EXECUTION_TARGET.key: "yarn-session",
            o.EXECUTION_ATTACHED.key: "false" if submit.detached else "true",
        })
        if submit.parallelism is not None:
            config = config.with_values({o.DEFAULT_PARALLELISM.key: str(submit.parallelism)})

        def run(client):
            executor = _LabellingExecutor(
                SessionPipelineExecutor(client, config, session.descriptor.log),
                self.records, submit.name)
            return run_program(submit.program,
                               _program_args(submit.program, submit.args, submit.name),
                               executor, config, self._ids)

        return self._current_client(submit.cluster).addCallback(run)

    def _job_id(self, cluster_name, job_name):
        application_id = self._app_ids.get(cluster_name)
        jobs = self.records.find_jobs(application_id, job_name) if application_id else []
        if not jobs:
            raise LookupError(f"cluster {cluster_name} has no job {job_name}")
        return jobs[-1].job_id

    def _current_client(self, name):
        """
        :return: a Deferred firing with a client of the deployment ``name``'s current
            JobManager, found through YARN as ``flink cancel -yid`` / ``yarn-session.sh -id``
            find it (a new application attempt has a new address).
        """
        cluster = self._clusters[name]
        return cluster.when_ready().addCallback(
            lambda client: cluster.descriptor.retrieve(client.application_id))

    def _cancel(self, cancel):
        job_id = self._job_id(cancel.cluster, cancel.job)
        return self._current_client(cancel.cluster).addCallback(
            lambda client: client.cancel(_parse_job_id(job_id)))

    def _stop_cluster(self, stop):
        return self._current_client(stop.cluster).addCallback(
            lambda client: client.shutdown_cluster())

    def _kill_app(self, kill):
        application_id = self._app_ids.get(kill.app)
        if application_id is None:
            raise LookupError(self.why_no_application(kill.app))
        user = self._clusters[kill.app].deploy.user
        return self.flink.yarn.yarn_client(user).kill_application(application_id)

    def _kill_container(self, kill):
        application_id = self._app_ids.get(kill.cluster)
        if application_id is None:
            raise LookupError(self.why_no_application(kill.cluster))
        running = sorted(
            (container.container_id
             for attempt in self.flink.rm.apps[application_id].attempts
             for container in attempt.containers
             if container.state is RMContainerState.RUNNING
             and container.is_am == (kill.role == JOBMANAGER)),
            key=lambda container_id: (container_id.application_attempt_id,
                                      container_id.container_id))
        if kill.index >= len(running):
            raise LookupError(f"{kill.cluster} has {len(running)} running {kill.role} "
                              f"container(s); there is no #{kill.index}")
        self.flink.kill_container(running[kill.index])
        return succeed(None)

    def _fail_task(self, fail):
        application_id = self._app_ids.get(fail.cluster)
        if application_id is None:
            raise LookupError(self.why_no_application(fail.cluster))
        job_id = _parse_job_id(self._job_id(fail.cluster, fail.job))
        master = self.flink.job_manager(application_id).dispatcher.request_job(job_id)
        names = [vertex.job_vertex.name for vertex in master.graph.vertices]
        if isinstance(fail.vertex, int):
            if fail.vertex >= len(names):
                raise LookupError(f"job {fail.job} has {len(names)} vertices; there is no "
                                  f"vertex {fail.vertex}")
            task_name = names[fail.vertex]
        elif fail.vertex in names:
            task_name = fail.vertex
        else:
            raise LookupError(f"job {fail.job} has no vertex {fail.vertex!r} "
                              f"(its vertices: {', '.join(names)})")
        self.flink.fail_task(application_id, job_id, task_name, fail.subtask)
        return succeed(None)

    def _lose_node(self, lose):
        self.flink.yarn.node_managers[lose.node].fail()
        return succeed(None)

    def _stop_node(self, stop):
        self.flink.yarn.node_managers[stop.node].stop()
        return succeed(None)


@implementer(IPipelineExecutor)
class _LabellingExecutor:
    """A pipeline executor that tells the run's records which submit step sent each job."""

    def __init__(self, executor, records, label):
        self._executor = executor
        self._records = records
        self._label = label

    def __getattr__(self, name):
        return getattr(self._executor, name)

    def execute(self, job_graph):
        self._label_job(job_graph)
        return self._executor.execute(job_graph)

    def execute_async(self, job_graph):
        self._label_job(job_graph)
        return self._executor.execute_async(job_graph)

    def _label_job(self, job_graph):
        if self._label is not None:
            self._records.label_job(job_graph.job_id, self._label)


def _program_args(program, args, job_name):
    """The program's arguments; a named job of a built-in program is named with --job-name."""
    args = list(args)
    if job_name is not None and program in BUILTIN_PROGRAMS and "--job-name" not in args:
        args += ["--job-name", job_name]
    return args


def _parse_job_id(text):
    return JobID(text) if isinstance(text, str) else text


def _message(error):
    return getattr(error, "message", None) or str(error) or type(error).__name__
