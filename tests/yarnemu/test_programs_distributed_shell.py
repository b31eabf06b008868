"""Tests for :mod:`yarnemu.programs.distributed_shell`: whole applications on a YarnCluster."""

import os

import pytest

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.events import ContainerAllocated
from yarnemu.programs.distributed_shell import (
    DISTRIBUTED_SHELL_AM,
    distributed_shell_command,
    submit_distributed_shell,
)
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.containers import ContainerLaunchContext
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.resource import Resource
from yarnemu.records.states import FinalApplicationStatus, RMAppState, RMContainerState
from yarnemu.resourcemanager.rmcontainer import LOST_CONTAINER, RELEASED_CONTAINER

NM_EXPIRY_MS = 3000


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


@pytest.fixture
def cluster(clock, tmp_path):
    cluster = YarnCluster(clock, tmp_path, [NodeGroup(3)], YarnConfiguration(
        {"yarn.nm.liveness-monitor.expiry-interval-ms": NM_EXPIRY_MS}))
    cluster.start()
    clock.advance(1)
    return cluster


def submit(cluster, num_containers, shell_command, shell_args="", **kw):
    ids = []
    submit_distributed_shell(cluster.yarn_client("alice"), num_containers, 512, shell_command,
                             shell_args, **kw).addCallback(ids.append)
    return cluster.rm.apps[ids[0]]


def submit_command(cluster, command):
    """Submit an application whose AM runs ``command``."""
    client = cluster.yarn_client("alice")
    created = []
    client.create_application().addCallback(created.append)
    app_id = created[0].application_id
    client.submit_application(ApplicationSubmissionContext(
        app_id, ContainerLaunchContext(commands=[command]), resource=Resource(512, 1)))
    return cluster.rm.apps[app_id]


def run_to_end(clock, app, seconds=600):
    assert clock.run_until_true(lambda: app.state.is_final, limit=clock.seconds() + seconds)


def task_containers(app):
    return [c for attempt in app.attempts for c in attempt.containers if not c.is_am]


def allocations(cluster, app):
    """The ContainerAllocated events of the application's task containers."""
    ams = {attempt.master_container.container_id for attempt in app.attempts}
    return [event for event in cluster.events.events if isinstance(event, ContainerAllocated)
            and event.container_id.application_id == app.application_id
            and event.container_id not in ams]


def test_successful_application(cluster, clock):
    """A DistributedShell application whose command succeeds ends FINISHED/SUCCEEDED, with its N
    containers exiting 0."""
    app = submit(cluster, 4, "sleep", "5")
    run_to_end(clock, app)
    assert app.state is RMAppState.FINISHED
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED
    assert app.report().diagnostics == ""
    completed = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert [int(c.exit_status) for c in completed] == [0, 0, 0, 0]
    (attempt,) = app.attempts
    assert int(attempt.master_container.exit_status) == 0


def test_containers_run_the_shell_command(cluster, clock):
    """Each container runs ``shell_command shell_args``: ``sleep 30`` takes thirty seconds."""
    app = submit(cluster, 2, "sleep", "30")
    run_to_end(clock, app)
    completed = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert len(completed) == 2
    for container in completed:
        assert container.finish_time - container.creation_time >= 30000


def test_shell_args_may_start_with_a_dash(cluster, clock):
    """Shell arguments that look like options (``ls -la``) are the shell command's, not the AM's."""
    app = submit(cluster, 1, "true", "-la")
    run_to_end(clock, app)
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED


def test_excess_containers_are_released_and_not_asked_again(cluster, clock):
    """Containers beyond those asked for are released, and the AM does not ask for them again."""
    app = submit(cluster, 4, "sleep", "5")
    run_to_end(clock, app)
    released = [c for c in task_containers(app) if c.state is RMContainerState.RELEASED]
    assert released, "this scenario gives the AM an excess container"
    for container in released:
        assert container.exit_status == ContainerExitStatus.ABORTED
        assert container.diagnostics == RELEASED_CONTAINER
    assert len(allocations(cluster, app)) == 4 + len(released)
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED


def test_failing_command_fails_the_application(cluster, clock):
    """A command that exits non-zero ends the application FINISHED/FAILED with DistributedShell's
    diagnostics."""
    app = submit(cluster, 3, "false")
    run_to_end(clock, app)
    assert app.state is RMAppState.FINISHED
    assert app.final_application_status is FinalApplicationStatus.FAILED
    assert app.report().diagnostics == (
        "Diagnostics., total=3, completed=3, allocated=3, failed=3")
    completed = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert [int(c.exit_status) for c in completed] == [1, 1, 1]
    (attempt,) = app.attempts
    assert int(attempt.master_container.exit_status) == 2


def test_unknown_command_fails_the_application(cluster, clock):
    """An unknown shell command ends the application FAILED: its containers exit 127."""
    app = submit(cluster, 2, "no-such-command", "--flag")
    run_to_end(clock, app)
    assert app.final_application_status is FinalApplicationStatus.FAILED
    completed = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert [int(c.exit_status) for c in completed] == [127, 127]
    assert "no-such-command: command not found" in completed[0].diagnostics
    assert app.report().diagnostics == (
        "Diagnostics., total=2, completed=2, allocated=2, failed=2")


def test_shell_operators_fail_the_containers(cluster, clock):
    """A shell command with shell operators is refused in every container: no shell runs."""
    app = submit(cluster, 1, "true; rm -rf /")
    run_to_end(clock, app)
    assert app.final_application_status is FinalApplicationStatus.FAILED
    (container,) = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert int(container.exit_status) == 127


def test_lost_containers_are_asked_for_again(cluster, clock):
    """A container lost with its node is asked for again, and the application still succeeds."""
    app = submit(cluster, 3, "sleep", "60")
    clock.run_until_true(lambda: len(task_containers(app)) >= 3
                         and all(c.state is RMContainerState.RUNNING
                                 for c in task_containers(app)[:3]),
                         limit=clock.seconds() + 60)
    am_node = app.attempts[0].master_container.node_id
    victim = next(c.node_id for c in task_containers(app)
                  if c.state is RMContainerState.RUNNING and c.node_id != am_node)
    lost = [c for c in task_containers(app) if c.node_id == victim
            and c.state is RMContainerState.RUNNING]
    cluster.node_managers[victim.host].fail()
    run_to_end(clock, app)
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED
    for container in lost:
        assert container.exit_status == ContainerExitStatus.ABORTED
        assert container.diagnostics == LOST_CONTAINER
    completed = [c for c in task_containers(app) if c.state is RMContainerState.COMPLETED]
    assert [int(c.exit_status) for c in completed] == [0, 0, 0]


def test_no_containers_is_an_invalid_argument(cluster, clock):
    """An AM asked to run no containers exits 1 at once instead of waiting for ever."""
    app = submit(cluster, 0, "true")
    run_to_end(clock, app)
    assert app.state is RMAppState.FAILED
    attempt = app.attempts[0]
    assert "exited with  exitCode: 1" in attempt.diagnostics
    assert "Cannot run distributed shell with no containers" in attempt.diagnostics


def test_unknown_option_is_an_invalid_argument(cluster, clock, capsys):
    """An AM given an unknown option exits 1, saying so in its own stderr, not the host's."""
    app = submit_command(cluster, f"{DISTRIBUTED_SHELL_AM} --num_containers 1 --bogus 2"
                                  " 2><LOG_DIR>/AppMaster.stderr")
    run_to_end(clock, app)
    assert app.state is RMAppState.FAILED
    assert "Invalid arguments" in app.attempts[0].diagnostics
    nm = cluster.node_managers[app.attempts[0].master_container.node_id.host]
    log_dir = os.path.join(nm.log_root, str(app.application_id),
                           str(app.attempts[0].master_container.container_id))
    with open(os.path.join(log_dir, "AppMaster.stderr"), encoding="utf-8") as stream:
        assert "unrecognized arguments: --bogus 2" in stream.read()
    assert capsys.readouterr() == ("", "")


def test_am_command_line():
    """The AM command line is the one DistributedShell's client builds, shell-quoted."""
    assert distributed_shell_command(2, 256, "echo", "hello world", master_memory=128) == (
        "{{JAVA_HOME}}/bin/java -Xmx128m "
        "org.apache.hadoop.yarn.applications.distributedshell.ApplicationMaster "
        "--container_memory 256 --container_vcores 1 --num_containers 2 --priority 0 "
        "--shell_command echo --shell_args 'hello world' "
        "1><LOG_DIR>/AppMaster.stdout 2><LOG_DIR>/AppMaster.stderr"
    )


def test_submission_uses_master_memory(cluster):
    """The AM container's size and its JVM heap both come from ``master_memory``."""
    app = submit(cluster, 1, "true", master_memory=768, name="ds", queue="default")
    context = app.submission_context
    assert context.resource == Resource(768, 1)
    assert context.application_name == "ds"
    (command,) = context.am_container_spec.commands
    assert " -Xmx768m " in command
