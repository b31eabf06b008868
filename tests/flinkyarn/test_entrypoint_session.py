"""
The session entrypoint (``flinkyarn.entrypoint.session``, ``YarnSessionClusterEntrypoint``): jobs
come over REST and TaskManagers on demand — or, as a standalone session
(``flinkyarn.session.standalone-taskmanagers: N``), exactly N TaskManagers started with it.
"""

from flinkyarn.events import TaskManagerRegistered
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    logged,
    session_cluster,
    task_manager_containers,
    yarn_states,
)
from yarnemu.events import ContainerAllocated, LogRecorded

STANDALONE = {"flinkyarn.session.standalone-taskmanagers": "3", "slot.request.timeout": "30000"}


def test_a_session_starts_with_no_task_manager_and_asks_for_none(tmp_path):
    """Without jobs an on-demand session runs only its JobManager: no worker is requested."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    flink.advance(120)
    assert type(flink.job_manager(app)).__name__ == "YarnSessionClusterEntrypoint"
    assert [str(event.container_id) for event in events_of(flink, ContainerAllocated)] == [
        f"container{str(app)[len('application'):]}_01_000001"]
    assert logged(flink, "Requesting new worker", app) == []


def test_a_standalone_session_requests_its_task_managers_at_once(tmp_path):
    """The N TaskManagers are requested together when the JobManager starts and all register."""
    flink, session = session_cluster(tmp_path, flink_config=STANDALONE)
    app = session.application_id
    assert flink.run_until(lambda: len(events_of(flink, TaskManagerRegistered)) == 3, seconds=60)
    requests = [event for event in events_of(flink, LogRecorded)
                if event.message.startswith("Requesting new worker")]
    assert [request.message.split("current pending count: ")[1] for request in requests] == [
        "1.", "2.", "3."]
    assert len({request.time for request in requests}) == 1
    assert len(task_manager_containers(flink, app)) == 3


def test_a_standalone_session_never_asks_for_more_task_managers(tmp_path):
    """A standalone session asks for no worker beyond N: not for a wide job, not after a loss."""
    flink, session = session_cluster(tmp_path, flink_config=STANDALONE)
    app = session.application_id
    assert flink.run_until(lambda: len(events_of(flink, TaskManagerRegistered)) == 3, seconds=60)
    job_id = flink.run(session.submit_job(bounded_job("too-wide", parallelism=4)))
    assert flink.run(session.request_job_result(job_id)).job_status is JobStatus.FAILED
    victim = task_manager_containers(flink, app)[0]
    flink.kill_container(victim.container_id)
    flink.advance(600)
    assert len(logged(flink, "Requesting new worker", app)) == 3
    assert len(events_of(flink, TaskManagerRegistered)) == 3
    assert len(flink.task_managers(app)) == 2
    assert victim.container_id not in [c.container_id for c in task_manager_containers(flink, app)]
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
