"""
Tests of ``ApplicationClientProtocol`` as the ResourceManager serves it: ids, submission checks,
reports and their filters, and the cluster's nodes and queues.
"""

import pytest

from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationNotFoundException,
    ContainerNotFoundException,
    QueueNotFoundException,
    YarnException,
)
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import (
    ApplicationAttemptId,
    ApplicationId,
    ApplicationSubmissionContext,
    ContainerId,
    QueueState,
    Resource,
    RMAppState,
    YarnApplicationAttemptState,
    YarnApplicationState,
)

from .running_cluster import EPOCH_MS, RunningCluster


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=2)


def test_new_application_ids_use_the_cluster_timestamp_and_count_up(running):
    """Ids are ``application_<clusterTimestamp>_<n>`` with n counting from 1."""
    first = running.client.get_new_application()
    second = running.client.get_new_application()
    assert (str(first.application_id), str(second.application_id)) == (
        f"application_{EPOCH_MS}_0001", f"application_{EPOCH_MS}_0002")
    assert first.maximum_resource_capability == Resource(8192, 4)


def test_a_duplicate_submission_is_refused(running):
    """Submitting an id twice raises YarnException with Hadoop's message."""
    app_id = running.submit("sleep 1")
    with pytest.raises(YarnException) as error:
        running.client.submit_application(ApplicationSubmissionContext(application_id=app_id),
                                          "alice")
    assert error.value.message == (
        f"Application with id {app_id} is already present! Cannot add a duplicate!")


def test_reports_of_unknown_ids_raise_not_found(running):
    """Unknown applications, attempts and containers raise their *NotFoundException."""
    missing = ApplicationId(EPOCH_MS, 99)
    with pytest.raises(ApplicationNotFoundException) as error:
        running.client.get_application_report(missing)
    assert error.value.message == (
        f"Application with id '{missing}' doesn't exist in RM. Please check that the job "
        "submission was successful.")
    app_id = running.submit("sleep 1")
    with pytest.raises(ApplicationAttemptNotFoundException):
        running.client.get_application_attempt_report(ApplicationAttemptId(app_id, 5))
    running.run_until_app_state(app_id, RMAppState.RUNNING, RMAppState.FINISHED)
    with pytest.raises(ContainerNotFoundException):
        running.client.get_container_report(ContainerId(ApplicationAttemptId(app_id, 1), 77))
    with pytest.raises(ApplicationNotFoundException) as error:
        running.client.force_kill_application(missing)
    assert error.value.message == f"Trying to kill an absent application {missing}"


def test_a_report_describes_the_application(running):
    """The report carries the submission's name, type, queue, user, tags and priority."""
    app_id = running.submit(distributed_shell_command(1, 512, "sleep", "30"), user="carol",
                            application_name="nightly",
                            application_type="Apache Flink", application_tags=["B", "a", "b"],
                            priority=3)
    running.run_until_app_state(app_id, RMAppState.RUNNING, RMAppState.FINISHED)
    report = running.client.get_application_report(app_id)
    assert (report.name, report.application_type, report.queue, report.user,
            report.application_tags, report.priority) == (
        "nightly", "Apache Flink", "default", "carol", ("a", "b"), 3)
    assert report.current_application_attempt_id == ApplicationAttemptId(app_id, 1)
    assert report.am_container_id == ContainerId(ApplicationAttemptId(app_id, 1), 1)
    assert report.start_time == report.submit_time > EPOCH_MS


def test_an_application_waiting_for_its_am_explains_why(tmp_path):
    """While the AM container cannot be allocated, the report carries the scheduler's diagnostics."""
    running = RunningCluster(tmp_path, nodes=1, memory_mb=2048)
    running.submit("sleep 600", resource=Resource(2048, 1))
    waiting = running.submit("sleep 600", resource=Resource(2048, 1))
    running.advance(5)
    report = running.client.get_application_report(waiting)
    assert report.yarn_application_state is YarnApplicationState.ACCEPTED
    assert report.diagnostics.startswith("[Application is added to the scheduler and is not yet "
                                         "activated. Queue's AM resource limit exceeded.")


def test_get_applications_filters(running):
    """States, types (case-insensitive), tags (any), queues, users, names and limit all filter."""
    a = running.submit("sleep 600", user="alice", application_type="Apache Flink",
                       application_tags=["etl"], application_name="one")
    b = running.submit("sleep 600", user="bob", application_type="MAPREDUCE",
                       application_tags=["adhoc", "etl"], application_name="two")
    c = running.submit("sleep 1", user="bob", queue="missing", application_name="three")
    running.run_until(lambda: running.app(c).state is RMAppState.FAILED)

    def ids(**filters):
        return [r.application_id for r in running.client.get_applications(**filters)]

    assert ids() == [a, b, c]
    assert ids(states={YarnApplicationState.FAILED}) == [c]
    assert ids(application_types=["apache flink"]) == [a]
    assert ids(tags=["adhoc"]) == [b] and ids(tags=["etl"]) == [a, b]
    assert ids(users=["bob"]) == [b, c]
    assert ids(queues=["default"]) == [a, b]
    assert ids(name="two") == [b]
    assert ids(limit=2) == [a, b]
    assert ids(finished=(0, None)) == [c]


def test_attempt_and_container_reports(running):
    """An attempt report names its AM container; container reports cover the attempt's containers."""
    app_id = running.submit(distributed_shell_command(1, 512, "sleep", "1"))
    running.run_until_app_state(app_id, RMAppState.FINISHED)
    (attempt,) = running.client.get_application_attempts(app_id)
    assert attempt.yarn_application_attempt_state is YarnApplicationAttemptState.FINISHED
    assert attempt.am_container_id.sequence == 1
    containers = running.client.get_containers(attempt.application_attempt_id)
    assert [int(c.container_exit_status) for c in containers] == [0, 0]
    assert containers[0].allocated_resource == Resource(1024, 1)


def test_queue_info(tmp_path):
    """Queue info reports capacities as fractions, the state and the children."""
    running = RunningCluster(tmp_path, config={
        "yarn.scheduler.capacity.root.queues": "a,b",
        "yarn.scheduler.capacity.root.a.capacity": 30,
        "yarn.scheduler.capacity.root.b.capacity": 70,
        "yarn.scheduler.capacity.root.b.maximum-capacity": 80,
    })
    root = running.client.get_queue_info("root")
    assert root.child_queues == ("a", "b")
    b = running.client.get_queue_info("b")
    assert (b.queue_path, b.capacity, b.maximum_capacity, b.queue_state) == (
        "root.b", 0.7, 0.8, QueueState.RUNNING)
    with pytest.raises(QueueNotFoundException) as error:
        running.client.get_queue_info("c")
    assert error.value.message == "Unknown queue: c"
    assert [q.queue_path for q in running.client.get_all_queues()] == ["root", "root.a", "root.b"]


def test_cluster_metrics_count_node_managers(running):
    """YarnClusterMetrics counts the NodeManagers by state."""
    running.cluster.node_managers["node-0"].stop()
    metrics = running.client.get_cluster_metrics()
    assert (metrics.num_node_managers, metrics.num_active_node_managers) == (1, 1)


def _submit_with_id(running, application_id, name):
    running.client.submit_application(ApplicationSubmissionContext(
        application_id=application_id, application_name=name, unmanaged_am=True), "alice")


def test_applications_are_listed_in_id_order_whatever_order_they_were_submitted_in(running):
    """Ids handed out first may be submitted last; listings (with or without a limit) are
    oldest id first, and an application the RM has forgotten is no longer listed."""
    ids = [running.client.get_new_application().application_id for _ in range(4)]
    for index in (2, 0, 3, 1):
        _submit_with_id(running, ids[index], f"app-{index}")
    assert [r.application_id for r in running.client.get_applications()] == ids
    assert [r.application_id for r in running.client.get_applications(limit=2)] == ids[:2]
    # An id the RM never handed out, below the others (another RM's cluster timestamp).
    older = ApplicationId(EPOCH_MS - 1, 7)
    _submit_with_id(running, older, "older")
    assert [r.application_id for r in running.client.get_applications(limit=1)] == [older]


def test_forgotten_applications_leave_the_listing(tmp_path):
    """Past yarn.resourcemanager.max-completed-applications the oldest completed ones are
    forgotten: they are neither listed nor counted against the limit."""
    running = RunningCluster(tmp_path, nodes=1,
                             config={"yarn.resourcemanager.max-completed-applications": 2})
    ids = [running.submit(unmanaged=True) for _ in range(5)]
    for application_id in ids[:4]:
        running.client.force_kill_application(application_id)
    running.run_until(lambda: all(i not in running.rm.apps or running.app(i).state.is_final
                                  for i in ids[:4]))
    assert [i for i in ids if i in running.rm.apps] == ids[2:]
    listed = [r.application_id for r in running.client.get_applications(limit=2)]
    assert listed == ids[2:4]
    assert [r.application_id for r in running.client.get_applications()] == ids[2:]


def test_node_reports_show_what_changed_since_they_were_last_asked_for(running):
    """Reports asked for again after containers were allocated show the new usage."""
    before = {r.node_id: r for r in running.client.get_cluster_nodes()}
    assert all(r.num_containers == 0 for r in before.values())
    running.submit(distributed_shell_command(2, 1024, "sleep", "600"))
    running.run_until(lambda: sum(r.num_containers for r in running.client.get_cluster_nodes())
                      == 3)
    after = running.client.get_cluster_nodes()
    assert sum(r.used.memory for r in after) == 3 * 1024
    assert after == [node.report() for node in running.rm.nodes.values()]
