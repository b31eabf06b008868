"""
End to end: how Flink on the emulated YARN lives with failures and scarcity — a TaskManager's
container dying mid-job, too few resources, YARN allocating more containers than asked for.
"""

from flinkyarn.events import JobRestarting, JobStatusChanged, TaskManagerRegistered
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    bounded_job,
    events_of,
    flink_on_yarn,
    run_until_ended,
    task_manager_containers,
)
from yarnemu.events import ContainerStateChanged, LogRecorded
from yarnemu.records.states import RMContainerState

RESTARTING = {"restart-strategy.type": "fixed-delay",
              "restart-strategy.fixed-delay.attempts": "3",
              "restart-strategy.fixed-delay.delay": "1 s"}


def logged(flink, text):
    return [event.message for event in events_of(flink, LogRecorded) if text in event.message]


def test_a_killed_task_manager_is_replaced_and_the_job_restarts_and_finishes(tmp_path):
    """
    ``kill -9`` of a TaskManager's container mid-job: YARN reports exit code 137, the
    ResourceManager asks for a new container, the job restarts (``numRestarts`` ≥ 1) and
    finishes.
    """
    flink = flink_on_yarn(tmp_path, flink_config=RESTARTING)
    session = flink.run(flink.descriptor().deploy_session_cluster(flink.specification()))
    app = session.application_id
    job = flink.run(session.submit_job(bounded_job("survivor", parallelism=2, records=30_000)))
    rest = lambda: flink.job_manager(app).rest  # noqa: E731 - the JobManager outlives the test
    assert flink.run_until(lambda: all_tasks_running(rest(), job))
    victim = task_manager_containers(flink, app)[0]
    flink.kill_container(victim.container_id)

    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FINISHED
    assert int(flink.run(session.get_job_metrics(job, "numRestarts"))["numRestarts"]) >= 1
    assert int(victim.exit_status) == 137
    assert [e.restarts for e in events_of(flink, JobRestarting, app)][:1] == [1]
    replacements = [c for c in task_manager_containers(flink, app)
                    if c.container_id > victim.container_id]
    assert replacements, "a new TaskManager container was requested"
    (terminated,) = logged(flink, f"Worker {victim.container_id} is terminated.")
    assert "Exit code:137." in terminated


def test_a_job_that_cannot_get_its_slots_fails_after_the_slot_request_timeout(tmp_path):
    """
    One NodeManager with room for the JobManager and one TaskManager, a job of parallelism 2 with
    one slot per TaskManager: the second slot never comes, and after ``slot.request.timeout``
    the job fails with NoResourceAvailableException; the per-job cluster ends FAILED.
    """
    flink = flink_on_yarn(tmp_path, nodes=1, memory_mb=4096,
                          flink_config={"slot.request.timeout": "120000"})
    job_graph = bounded_job("too-big", parallelism=2)
    cluster = flink.run(flink.descriptor().deploy_job_cluster(flink.specification(), job_graph,
                                                              True))
    app = cluster.application_id
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")
    (failed,) = [event for event in events_of(flink, JobStatusChanged, app)
                 if event.to_state is JobStatus.FAILING]
    assert failed.error.startswith("org.apache.flink.runtime.JobException: Recovery is "
                                   "suppressed by NoRestartBackoffTimeStrategy")
    assert ("Caused by: org.apache.flink.runtime.jobmanager.scheduler."
            "NoResourceAvailableException: Slot request bulk is not fulfillable!") in failed.error
    assert len(events_of(flink, TaskManagerRegistered)) == 1


def test_containers_allocated_beyond_the_ask_are_returned(tmp_path):
    """
    YARN-1902: the AM's absolute ask races the scheduler's allocations, so YARN hands out more
    containers than Flink asked for; Flink returns each excess one ("Returning excess
    container") and starts TaskManagers only in the ones it needs.
    """
    flink = flink_on_yarn(tmp_path, nodes=6)
    job_graph = bounded_job("wide", parallelism=6, records=50_000)
    cluster = flink.run(flink.descriptor().deploy_job_cluster(flink.specification(), job_graph,
                                                              True))
    app = cluster.application_id
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    excess = [text.split()[-1].rstrip(".") for text in logged(flink, "Returning excess container")]
    assert excess
    last_state = {str(event.container_id): event.to_state
                  for event in events_of(flink, ContainerStateChanged)}
    assert all(last_state[container_id] is RMContainerState.RELEASED for container_id in excess)
    assert len(events_of(flink, TaskManagerRegistered)) == 6
