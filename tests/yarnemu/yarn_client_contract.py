"""
The behaviour every ``IYarnClient`` has, written once and run against each implementation (the
in-process client and the RM REST client), so that a program deploying onto YARN sees the same
cluster through either ("verified fakes").

A test module subclasses :class:`YarnClientContract` as ``Test<Name>`` and provides the fixture
``connect``: a function ``(running_cluster, user)`` → an ``IYarnClient`` of that cluster acting as
``user``.  Each test builds its own :class:`~tests.yarnemu.running_cluster.RunningCluster` on a
virtual clock; answers arrive as its clock moves (:func:`run`).
"""

import pytest
from twisted.python.failure import Failure
from zope.interface.verify import verifyObject

from yarnemu.client.amrm_client import AMRMClient
from yarnemu.client.amrm_client_async import AMRMCallbackHandler, AMRMClientAsync
from yarnemu.config import FIFO_SCHEDULER
from yarnemu.errors import ApplicationNotFoundException, QueueNotFoundException
from yarnemu.interfaces import IYarnClient
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.programs import builtin_programs
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import (
    ApplicationId,
    ApplicationSubmissionContext,
    ContainerId,
    ContainerLaunchContext,
    FinalApplicationStatus,
    NodeState,
    QueueState,
    Resource,
    RMAppState,
    YarnApplicationState,
)

from .running_cluster import EPOCH_MS, RunningCluster

__all__ = ["YarnClientContract", "run", "failure_of", "running_cluster", "USER", "SERVE",
           "AM_PORT"]

USER = "alice"

SERVE = "serve"
"""The program ``serve <seconds>``: an AM serving at ``<host>:``:data:`AM_PORT`."""

AM_PORT = 8081

_S = YarnApplicationState

_QUEUES = {
    "yarn.scheduler.capacity.root.queues": "a,b",
    "yarn.scheduler.capacity.root.a.capacity": 30,
    "yarn.scheduler.capacity.root.b.capacity": 70,
    "yarn.scheduler.capacity.root.b.maximum-capacity": 80,
}


def run(running, deferred, seconds=600):
    """
    Drive ``running``'s clock until ``deferred`` fires (at most ``seconds`` of virtual time).

    :return: its result.
    :raise: its failure's exception; ``AssertionError`` if it did not fire.
    """
    outcome = []
    deferred.addBoth(outcome.append)
    running.run_until(lambda: outcome, seconds)
    if not outcome:
        raise AssertionError(f"the Deferred did not fire within {seconds} s of virtual time")
    if isinstance(outcome[0], Failure):
        outcome[0].raiseException()
    return outcome[0]


def failure_of(running, deferred, seconds=600):
    """:return: the exception ``deferred`` fails with (``AssertionError`` if it succeeds)."""
    try:
        value = run(running, deferred, seconds)
    except AssertionError:
        raise
    except Exception as error:
        return error
    raise AssertionError(f"expected a failure, got {value!r}")


class ServingApplicationMaster(ContainerProgram, AMRMCallbackHandler):
    """
    An application master that registers with its host, :data:`AM_PORT` and a tracking URL,
    heartbeats every second, and after ``args[0]`` seconds unregisters SUCCEEDED and exits 0.
    """

    def start(self):
        context = self.context
        attempt_id = ContainerId.parse(context.environment["CONTAINER_ID"]).application_attempt_id
        self.amrm = AMRMClient(context.endpoints.am_protocol, attempt_id)
        host = context.environment["NM_HOST"]
        self.amrm.register_application_master(host, AM_PORT, f"http://{host}:{AM_PORT}/")
        self.heartbeats = AMRMClientAsync(self.amrm, context.clock, 1000, self)
        self.heartbeats.start()
        context.clock.callLater(float(context.args[0]), self._finish)

    def _finish(self):
        self.heartbeats.stop()
        if self.amrm.unregister_application_master(FinalApplicationStatus.SUCCEEDED, "served"):
            self.context.exit(0)
        else:
            self.context.clock.callLater(0.1, self._finish)


def running_cluster(tmp_path, nodes=2, config=None):
    """:return: a :class:`RunningCluster` whose programs include :data:`SERVE`."""
    programs = builtin_programs().merged(ProgramRegistry({SERVE: ServingApplicationMaster}))
    return RunningCluster(tmp_path, nodes=nodes, config=config, programs=programs)


def _context(application_id, command=None, **fields):
    spec = ContainerLaunchContext(commands=[command] if command else [])
    return ApplicationSubmissionContext(application_id=application_id, am_container_spec=spec,
                                        **fields)


class YarnClientContract:
    """The shared tests; subclasses provide the ``connect`` fixture."""

    @pytest.fixture
    def running(self, tmp_path):
        return running_cluster(tmp_path)

    @pytest.fixture
    def client(self, running, connect):
        return connect(running, USER)

    def submit(self, running, client, command, **fields):
        """Create and submit an application through ``client``; :return: its id."""
        response = run(running, client.create_application())
        context = _context(response.application_id, command, **fields)
        assert run(running, client.submit_application(context)) == response.application_id
        return response.application_id

    def report_when(self, running, client, application_id, *states, seconds=600):
        """Poll the report every second until it is in one of ``states``; :return: it."""
        found = []

        def poll():
            report = run(running, client.get_application_report(application_id))
            if report.yarn_application_state in states:
                found.append(report)
            return bool(found)

        deadline = running.clock.seconds() + seconds
        while not poll():
            assert running.clock.seconds() < deadline, f"{application_id} never reached {states}"
            running.advance(1)
        return found[0]

    # The tests

    def test_provides_the_interface(self, client):
        """The client provides IYarnClient."""
        assert verifyObject(IYarnClient, client)

    def test_new_application_ids_count_up(self, running, client):
        """create_application hands out fresh ids of the cluster and its maximum allocation."""
        first = run(running, client.create_application())
        second = run(running, client.create_application())
        assert (first.application_id, second.application_id) == (
            ApplicationId(EPOCH_MS, 1), ApplicationId(EPOCH_MS, 2))
        assert first.maximum_resource_capability == running.rm.scheduler.maximum_allocation
        assert second.maximum_resource_capability == Resource(8192, 4)

    def test_a_submitted_application_runs_and_finishes(self, running, client):
        """A submitted application's report goes RUNNING, with its AM's address, then FINISHED."""
        app_id = self.submit(running, client, f"{SERVE} 20")
        report = self.report_when(running, client, app_id, _S.RUNNING)
        master = running.app(app_id).current_attempt.master_container
        assert report.final_application_status is FinalApplicationStatus.UNDEFINED
        assert (report.host, report.rpc_port) == (master.node_id.host, AM_PORT)
        assert report.am_host_http_address == master.container.node_http_address
        assert (report.am_container_id, report.current_application_attempt_id) == (
            master.container_id, master.container_id.application_attempt_id)
        assert report.tracking_url == running.rm.proxy_url(app_id)
        assert report.start_time > EPOCH_MS and report.finish_time == 0

        report = self.report_when(running, client, app_id, _S.FINISHED)
        assert report.final_application_status is FinalApplicationStatus.SUCCEEDED
        running.run_until_app_state(app_id, RMAppState.FINISHED)
        report = run(running, client.get_application_report(app_id))
        assert (report.progress, report.diagnostics) == (1.0, "served")
        assert report.finish_time >= report.start_time + 20000

    def test_a_distributed_shell_application_runs_its_containers(self, running, client):
        """A DistributedShell AM command (with its log redirections) runs and ends SUCCEEDED."""
        app_id = self.submit(running, client, distributed_shell_command(2, 512, "sleep", "5"),
                             application_name="DistributedShell", resource=Resource(512, 1))
        report = self.report_when(running, client, app_id, _S.FINISHED, _S.FAILED)
        assert (report.yarn_application_state, report.final_application_status) == (
            _S.FINISHED, FinalApplicationStatus.SUCCEEDED)
        assert len(running.app(app_id).current_attempt.containers) == 3

    def test_a_report_describes_the_submission(self, running, client):
        """A report carries the submission's name, type, queue, user, tags and priority."""
        app_id = self.submit(running, client, "sleep 600", application_name="nightly",
                             application_type="Apache Flink", application_tags=["B", "a", "b"],
                             priority=3, resource=Resource(2048, 1))
        report = self.report_when(running, client, app_id, _S.ACCEPTED, _S.RUNNING)
        assert (report.application_id, report.name, report.application_type, report.queue,
                report.user, report.application_tags, report.priority,
                report.unmanaged_application) == (
            app_id, "nightly", "Apache Flink", "default", USER, ("a", "b"), 3, False)

    def test_reports_match_what_the_resource_manager_says(self, running, client):
        """The report's state, final status and diagnostics are the RM's own."""
        app_id = self.submit(running, client, "sleep 1", queue="missing")
        report = self.report_when(running, client, app_id, _S.FAILED)
        own = running.client.get_application_report(app_id)
        assert (report.yarn_application_state, report.final_application_status,
                report.diagnostics) == (_S.FAILED, FinalApplicationStatus.FAILED,
                                         own.diagnostics)
        assert "unknown queue: missing" in report.diagnostics

    def test_get_applications_filters(self, running, client):
        """Applications filter by state, type (any case) and tags (any of them), oldest first."""
        a = self.submit(running, client, "sleep 600", application_type="Apache Flink",
                        application_tags=["etl"])
        b = self.submit(running, client, "sleep 600", application_type="MAPREDUCE",
                        application_tags=["adhoc", "etl"])
        c = self.submit(running, client, "sleep 1", queue="missing")
        self.report_when(running, client, c, _S.FAILED)

        def ids(**filters):
            return [r.application_id for r in run(running, client.get_applications(**filters))]

        assert ids() == [a, b, c]
        assert ids(states=[_S.FAILED]) == [c]
        assert ids(states=[_S.ACCEPTED, _S.RUNNING]) == [a, b]
        assert ids(application_types=["apache flink"]) == [a]
        assert ids(tags=["adhoc"]) == [b]
        assert ids(tags=["etl"]) == [a, b]
        assert ids(states=[_S.FINISHED]) == []

    def test_killing_a_running_application(self, running, client):
        """A kill in flight is not yet final; the application ends KILLED."""
        app_id = self.submit(running, client, f"{SERVE} 600")
        self.report_when(running, client, app_id, _S.RUNNING)
        assert run(running, client.kill_application(app_id)) is False
        report = self.report_when(running, client, app_id, _S.KILLED)
        assert report.final_application_status is FinalApplicationStatus.KILLED

    def test_killing_a_finished_application_changes_nothing(self, running, client):
        """Killing an application in a final state says so and leaves it as it was."""
        app_id = self.submit(running, client, f"{SERVE} 1")
        self.report_when(running, client, app_id, _S.FINISHED)
        assert run(running, client.kill_application(app_id)) is True
        report = run(running, client.get_application_report(app_id))
        assert (report.yarn_application_state, report.final_application_status) == (
            _S.FINISHED, FinalApplicationStatus.SUCCEEDED)

    def test_unknown_applications_are_not_found(self, running, client):
        """Reports and kills of an unknown application fail with ApplicationNotFoundException."""
        missing = ApplicationId(EPOCH_MS, 99)
        for deferred in (client.get_application_report(missing),
                         client.kill_application(missing)):
            error = failure_of(running, deferred)
            assert isinstance(error, ApplicationNotFoundException)
            assert str(missing) in error.message

    def test_node_reports(self, running, client):
        """Node reports carry each node's state, address and size, and filter by state."""
        reports = run(running, client.get_node_reports())
        assert sorted(str(r.node_id) for r in reports) == sorted(
            str(nm.node_id) for nm in running.cluster.node_managers.values())
        for report in reports:
            assert report.node_state is NodeState.RUNNING
            assert report.capability == Resource(8192, 8)
            assert report.used == Resource(0, 0) and report.num_containers == 0
            assert report.http_address == f"{report.node_id.host}:8042"
            assert report.rack_name == "/default-rack"

        running.cluster.node_managers["node-0"].stop()
        running.advance(1)
        states = {str(r.node_id): r.node_state for r in run(running, client.get_node_reports())}
        assert sorted(states.values()) == [NodeState.RUNNING, NodeState.SHUTDOWN]
        (stopped,) = run(running, client.get_node_reports([NodeState.SHUTDOWN]))
        assert stopped.node_id.host == "node-0"
        (alive,) = run(running, client.get_node_reports([NodeState.RUNNING]))
        assert alive.node_id.host == "node-1"
        assert run(running, client.get_node_reports([NodeState.LOST])) == []

    def test_node_reports_show_what_runs(self, running, client):
        """A node running an AM reports its container and used resource."""
        app_id = self.submit(running, client, "sleep 600", resource=Resource(2048, 1))
        self.report_when(running, client, app_id, _S.ACCEPTED)
        running.run_until(lambda: running.app(app_id).current_attempt.master_container)
        running.advance(2)
        used = [r for r in run(running, client.get_node_reports()) if r.num_containers]
        assert [(r.num_containers, r.used) for r in used] == [(1, Resource(2048, 1))]

    def test_queues(self, tmp_path, connect):
        """Queues come root first with capacities as fractions; unknown ones are not found."""
        running = running_cluster(tmp_path, config=_QUEUES)
        client = connect(running, USER)
        queues = run(running, client.get_all_queues())
        assert [(q.queue_path, q.queue_name, q.capacity, q.maximum_capacity, q.queue_state,
                 q.child_queues) for q in queues] == [
            ("root", "root", 1.0, 1.0, QueueState.RUNNING, ("a", "b")),
            ("root.a", "a", 0.3, 1.0, QueueState.RUNNING, ()),
            ("root.b", "b", 0.7, 0.8, QueueState.RUNNING, ()),
        ]
        assert run(running, client.get_queue_info("b")) == queues[2]
        assert run(running, client.get_queue_info("root.a")) == queues[1]
        error = failure_of(running, client.get_queue_info("c"))
        assert isinstance(error, QueueNotFoundException)
        assert error.message == "Unknown queue: c"

    def test_a_queue_lists_its_applications(self, tmp_path, connect):
        """A queue lists the applications it holds, with its usage, until they finish."""
        running = running_cluster(tmp_path, config=_QUEUES)
        client = connect(running, USER)
        app_id = self.submit(running, client, f"{SERVE} 20", queue="b")
        self.report_when(running, client, app_id, _S.RUNNING)
        b = run(running, client.get_queue_info("b"))
        assert (b.applications, run(running, client.get_queue_info("a")).applications) == (
            (app_id,), ())
        assert b.current_capacity == pytest.approx(
            running.client.get_queue_info("b").current_capacity)
        assert b.current_capacity > 0
        running.run_until_app_state(app_id, RMAppState.FINISHED)
        assert run(running, client.get_queue_info("b")).applications == ()

    def test_the_fifo_scheduler_has_one_queue(self, tmp_path, connect):
        """Under the FifoScheduler every queue name gives the one default queue."""
        running = running_cluster(tmp_path, nodes=1, config={
            "yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER})
        client = connect(running, USER)
        (default,) = run(running, client.get_all_queues())
        assert (default.queue_name, default.capacity, default.queue_state) == (
            "default", 1.0, QueueState.RUNNING)
        assert run(running, client.get_queue_info("anything")) == default

    def test_cluster_metrics_count_node_managers(self, running, client):
        """Cluster metrics count the NodeManagers by state."""
        metrics = run(running, client.get_yarn_cluster_metrics())
        assert (metrics.num_node_managers, metrics.num_active_node_managers) == (2, 2)
        running.cluster.node_managers["node-0"].stop()
        running.advance(1)
        metrics = run(running, client.get_yarn_cluster_metrics())
        assert metrics == running.client.get_cluster_metrics()
        assert (metrics.num_node_managers, metrics.num_active_node_managers,
                metrics.num_lost_node_managers, metrics.num_shutdown_node_managers) == (1, 1, 0, 1)
