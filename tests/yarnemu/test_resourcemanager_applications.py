"""
Tests of the ResourceManager's application lifecycle through a running cluster: submission,
admission, attempts and retries, kills, and the way an application ends.
"""

import pytest

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import (
    ContainerExitStatus,
    FinalApplicationStatus,
    RMAppAttemptState,
    RMAppState,
    YarnApplicationState,
)

from .running_cluster import RunningCluster

S = RMAppState


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path)


def test_a_successful_application_goes_through_every_state(running):
    """A DistributedShell app goes NEW → … → RUNNING → FINAL_SAVING → FINISHING → FINISHED/SUCCEEDED."""
    app_id = running.submit(distributed_shell_command(2, 512, "sleep", "5"))
    assert running.run_until_app_state(app_id, S.FINISHED)
    assert running.app_states(app_id) == [
        S.NEW, S.NEW_SAVING, S.SUBMITTED, S.ACCEPTED, S.RUNNING, S.FINAL_SAVING, S.FINISHING,
        S.FINISHED]
    report = running.client.get_application_report(app_id)
    assert report.yarn_application_state is YarnApplicationState.FINISHED
    assert report.final_application_status is FinalApplicationStatus.SUCCEEDED
    assert report.progress == 1.0 and report.finish_time > report.start_time


def test_an_unknown_queue_fails_the_application_with_yarns_diagnostics(running):
    """A submission to a queue the CapacityScheduler does not have ends FAILED, with no attempt."""
    app_id = running.submit("sleep 1", queue="no-such-queue", user="bob")
    assert running.run_until_app_state(app_id, S.FAILED)
    report = running.client.get_application_report(app_id)
    assert report.diagnostics == (
        f"Application {app_id} submitted by user bob to unknown queue: no-such-queue")
    assert report.final_application_status is FinalApplicationStatus.FAILED
    assert running.app(app_id).attempts == []
    assert running.app_states(app_id) == [S.NEW, S.NEW_SAVING, S.SUBMITTED, S.FINAL_SAVING, S.FAILED]


def test_killing_a_running_application(running):
    """A kill takes a RUNNING app through KILLING to KILLED and stops its containers."""
    app_id = running.submit(distributed_shell_command(2, 512, "sleep", "600"))
    running.run_until(lambda: len(running.rm.scheduler.containers) == 3)
    assert running.client.force_kill_application(app_id, user="alice") in (True, False)
    assert running.run_until_app_state(app_id, S.KILLED, seconds=10)
    report = running.client.get_application_report(app_id)
    assert report.final_application_status is FinalApplicationStatus.KILLED
    assert report.diagnostics == f"Application {app_id} was killed by user alice"
    assert S.KILLING in running.app_states(app_id)
    assert running.rm.scheduler.containers == {}
    running.advance(5)
    nm_containers = [c for nm in running.cluster.node_managers.values()
                     for c in nm.containers.values()]
    assert nm_containers == []


def test_a_kill_of_a_finished_application_changes_nothing(running):
    """Killing an application already in a final state reports the kill complete."""
    app_id = running.submit("sleep 1", queue="nowhere")
    running.run_until_app_state(app_id, S.FAILED)
    assert running.client.force_kill_application(app_id) is True
    assert running.app(app_id).state is S.FAILED


def test_an_am_that_exits_without_unregistering_gets_a_second_attempt_then_fails(running):
    """The AM container exiting 1 fails the attempt; after max-attempts (2) the app is FAILED."""
    app_id = running.submit("false")
    assert running.run_until_app_state(app_id, S.FAILED)
    app = running.app(app_id)
    assert [a.state for a in app.attempts] == [RMAppAttemptState.FAILED] * 2
    first = app.attempts[0]
    assert first.diagnostics.startswith(
        f"AM Container for {first.attempt_id} exited with  exitCode: 1\n")
    assert app.diagnostics.startswith(f"Application {app_id} failed 2 times due to AM Container")
    assert app.diagnostics.endswith(". Failing the application.")
    assert app.final_application_status is FinalApplicationStatus.FAILED


def test_per_application_max_attempts_is_honoured(running):
    """An application asking for one attempt fails after its first AM failure."""
    app_id = running.submit("false", max_app_attempts=1)
    running.run_until_app_state(app_id, S.FAILED)
    assert len(running.app(app_id).attempts) == 1


def test_more_attempts_than_the_global_maximum_are_capped(running):
    """``max_app_attempts`` above yarn.resourcemanager.am.max-attempts is replaced by it."""
    app_id = running.submit("false", max_app_attempts=10)
    running.run_until_app_state(app_id, S.FAILED)
    assert len(running.app(app_id).attempts) == 2


def test_an_unknown_am_program_fails_its_attempts_with_exit_code_127(running):
    """An AM command naming no allow-listed program exits 127 and fails the attempts."""
    app_id = running.submit("/bin/sh -c 'rm -rf /'")
    running.run_until_app_state(app_id, S.FAILED)
    attempt = running.app(app_id).attempts[0]
    assert "exitCode: 127" in attempt.diagnostics
    assert "not an allow-listed program" in attempt.diagnostics


def test_an_am_above_the_maximum_allocation_is_refused_at_submission(running):
    """An AM resource above yarn.scheduler.maximum-allocation-mb raises and creates no app."""
    from yarnemu.errors import InvalidResourceRequestException
    from yarnemu.records import Resource

    with pytest.raises(InvalidResourceRequestException) as error:
        running.submit("sleep 1", resource=Resource(9000, 1))
    assert "requestedMemory=9000, maxMemory=8192" in error.value.message
    assert running.rm.apps == {}


def test_completed_applications_beyond_the_maximum_are_forgotten(tmp_path):
    """Only ``yarn.resourcemanager.max-completed-applications`` completed apps are kept."""
    running = RunningCluster(tmp_path, config={"yarn.resourcemanager.max-completed-applications": 2})
    ids = [running.submit("sleep 1", queue="gone") for _ in range(4)]
    running.run_until(lambda: all(i not in running.rm.apps or running.app(i).state.is_final
                                  for i in ids))
    assert list(running.rm.apps) == ids[2:]


def test_containers_of_a_finished_application_are_cleaned_up_on_their_nodes(running):
    """When an app ends, containers it left running are killed on their NodeManagers."""
    app_id = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    running.run_until(lambda: len(running.rm.scheduler.containers) == 2)
    running.client.force_kill_application(app_id)
    running.advance(3)
    exits = {event.exit_code for event in running.events_of("nm.container.state")
             if event.exit_code is not None}
    assert exits <= {ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
                     ContainerExitStatus.KILLED_AFTER_APP_COMPLETION}
    assert exits
