"""
End to end: a Flink session cluster on the emulated YARN (``YarnSessionClusterEntrypoint``), through
the client's public API, in virtual time.
"""

import pytest

from flinkyarn.flink_on_yarn import FlinkOnYarn
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    bounded_job,
    flink_on_yarn,
    staging_exists,
    task_manager_containers,
    yarn_states,
)


@pytest.fixture
def flink(tmp_path):
    return flink_on_yarn(tmp_path, flink_config={"taskmanager.numberOfTaskSlots": "4"})


@pytest.fixture
def session(flink):
    return flink.run(flink.descriptor().deploy_session_cluster(flink.specification()))


def test_a_deployed_session_runs_with_no_task_managers(flink, session):
    """The session is RUNNING at YARN with only its JobManager: TaskManagers come on demand."""
    assert yarn_states(flink, session.application_id) == ("RUNNING", "UNDEFINED")
    assert task_manager_containers(flink, session.application_id) == []
    assert flink.task_managers(session.application_id) == []
    assert staging_exists(flink, session.application_id)


def test_two_jobs_share_the_session_and_idle_task_managers_are_released(flink, session):
    """
    The first job starts a TaskManager; a second job submitted while the first runs takes the
    free slots of the same TaskManager; after both finished the idle TaskManager is released
    (``resourcemanager.taskmanager-timeout``, 30 s) and the session stays RUNNING.
    """
    app = session.application_id
    first = flink.run(session.submit_job(bounded_job("first", parallelism=2, records=10_000)))
    flink.run_until(lambda: task_manager_containers(flink, app))
    started = [c.container_id for c in task_manager_containers(flink, app)]
    assert len(started) == 1  # 2 of the 4 slots of one TaskManager
    second = flink.run(session.submit_job(bounded_job("second", parallelism=2, records=5_000)))
    rest = flink.job_manager(app).rest
    assert flink.run_until(lambda: all_tasks_running(rest, first) and all_tasks_running(rest, second))
    assert [c.container_id for c in task_manager_containers(flink, app)] == started
    overview = rest.get_overview()
    assert (overview["taskmanagers"], overview["slots-total"], overview["slots-available"],
            overview["jobs-running"]) == (1, 4, 0, 2)

    first_result = flink.run(session.request_job_result(first))
    second_result = flink.run(session.request_job_result(second))
    assert first_result.application_status is ApplicationStatus.SUCCEEDED
    assert second_result.application_status is ApplicationStatus.SUCCEEDED
    assert [c.container_id for c in task_manager_containers(flink, app)] == started
    jobs = flink.run(session.list_jobs())
    assert sorted((job.job_name, job.job_state) for job in jobs) == [
        ("first", JobStatus.FINISHED), ("second", JobStatus.FINISHED)]

    finished_at = flink.clock.seconds()
    flink.run_until(lambda: not task_manager_containers(flink, app), seconds=120)
    idle_for = flink.clock.seconds() - finished_at
    # Idle for resourcemanager.taskmanager-timeout (30 s), noticed by the slot manager's check,
    # which runs every 30 s as well.
    assert 30 <= idle_for <= 60
    flink.advance(60)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert flink.task_managers(app) == []


def test_shutting_the_session_down_finishes_it_succeeded_and_removes_its_staging_dir(flink,
                                                                                      session):
    """
    DELETE /cluster: the application ends FINISHED/SUCCEEDED, and once the JobManager process
    has exited ``.flink/<app>`` is gone.
    """
    app = session.application_id
    flink.run(session.shutdown_cluster())
    assert flink.run_until(lambda: not flink.processes(app), seconds=60)
    assert yarn_states(flink, app) == ("FINISHED", "SUCCEEDED")
    assert not staging_exists(flink, app)


@pytest.fixture
def standalone(tmp_path):
    flink = flink_on_yarn(tmp_path, flink_config={
        "flinkyarn.session.standalone-taskmanagers": "2", "slot.request.timeout": "60000"})
    return flink, flink.run(flink.descriptor().deploy_session_cluster(flink.specification()))


def test_a_standalone_session_starts_its_task_managers_with_it_and_keeps_them(standalone):
    """Its TaskManagers are up before any job, run jobs, and are not released when idle."""
    flink, session = standalone
    app = session.application_id
    assert flink.run_until(lambda: len(flink.task_managers(app)) == 2, seconds=60)
    started = [task_manager.container_id for task_manager in flink.task_managers(app)]
    job = flink.run(session.submit_job(bounded_job("fits", parallelism=2, records=2_000)))
    assert flink.run(session.request_job_result(job)).application_status is \
        ApplicationStatus.SUCCEEDED
    flink.advance(300)
    assert [task_manager.container_id for task_manager in flink.task_managers(app)] == started
    assert [c.container_id for c in task_manager_containers(flink, app)] == started


def test_a_standalone_session_fails_a_job_it_has_no_slots_for(standalone):
    """
    A job needing more slots than the fixed TaskManagers have fails after ``slot.request.timeout``
    with NoResourceAvailableException, and no container is asked for.
    """
    flink, session = standalone
    app = session.application_id
    flink.run_until(lambda: len(flink.task_managers(app)) == 2, seconds=60)
    submitted_at = flink.clock.seconds()
    job = flink.run(session.submit_job(bounded_job("too-wide", parallelism=3)))
    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    assert result.error.exception_class == "org.apache.flink.runtime.JobException"
    assert ("org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: Slot "
            "request bulk is not fulfillable!") in result.error.message
    assert 60 <= flink.clock.seconds() - submitted_at <= 65
    assert len(task_manager_containers(flink, app)) == 2
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
