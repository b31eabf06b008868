"""
Tests for :mod:`yarnemu.nodemanager.nodemanager`: NodeManagers in a :class:`YarnCluster`, with
the real ResourceManager.
"""

import os

import pytest
from zope.interface.verify import verifyObject

from tests.yarnemu.running_cluster import RunningCluster
from tests.yarnemu.test_nodemanager_container import Node
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.errors import YarnException
from yarnemu.events import NMContainerStateChanged
from yarnemu.interfaces import IContainerManagementProtocol
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from yarnemu.nodemanager.nodemanager import NMNotYetReadyException
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.programs import builtin_programs
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.container_manager_protocol import StartContainerRequest
from yarnemu.records.containers import URL, Container, ContainerLaunchContext, LocalResource
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    ContainerState,
    NMContainerState,
    NodeState,
    RMAppState,
)

NM_EXPIRY_MS = 3000


class Record(ContainerProgram):
    """Records its context and keeps running; exits with its first argument if given."""

    contexts = []
    ticks = []

    def start(self):
        Record.contexts.append(self.context)
        if self.context.args:
            self.context.exit(int(self.context.args[0]))
        else:
            self.context.clock.callLater(1, self.tick)

    def tick(self):
        Record.ticks.append((self.context.container_id, self.context.clock.seconds()))
        self.context.clock.callLater(1, self.tick)


class Stubborn(ContainerProgram):
    def start(self):
        pass

    def terminate(self):
        pass


@pytest.fixture(autouse=True)
def reset_programs():
    Record.contexts = []
    Record.ticks = []


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


def make_cluster(clock, tmp_path, nodes=1, **config):
    settings = {"yarn.nm.liveness-monitor.expiry-interval-ms": NM_EXPIRY_MS}
    settings.update(config)
    programs = builtin_programs().merged(ProgramRegistry({"record": Record, "stubborn": Stubborn}))
    cluster = YarnCluster(clock, tmp_path, [NodeGroup(nodes)], YarnConfiguration(settings),
                          programs=programs)
    cluster.start()
    clock.advance(1)
    return cluster


@pytest.fixture
def cluster(clock, tmp_path):
    return make_cluster(clock, tmp_path)


@pytest.fixture
def nm(cluster):
    return cluster.node_managers["node-0"]


def submit(cluster, *commands, local_resources=None, environment=None, user="alice"):
    """Submit an application whose AM container runs ``commands``; :return: its id."""
    client = cluster.yarn_client(user)
    created = []
    client.create_application().addCallback(created.append)
    app_id = created[0].application_id
    spec = ContainerLaunchContext(local_resources=local_resources or {},
                                  environment=environment or {}, commands=commands)
    client.submit_application(ApplicationSubmissionContext(app_id, spec,
                                                           resource=Resource(1024, 1)))
    return app_id


def run_until(clock, predicate, seconds=60):
    assert clock.run_until_true(predicate, limit=clock.seconds() + seconds), "timed out"


def am_container(cluster, app_id):
    """The RM's AM container of the application's current attempt, once it has one."""
    attempt = cluster.rm.apps[app_id].current_attempt
    return attempt.master_container if attempt else None


def nm_container(nm, container_id):
    return nm.containers.get(container_id)


def start_running_am(cluster, nm, *commands, **kw):
    """Submit an application and run until its AM container runs on ``nm``."""
    app_id = submit(cluster, *(commands or ("record",)), **kw)
    run_until(cluster.clock, lambda: any(
        c.application_id == app_id and c.state is NMContainerState.RUNNING
        for c in nm.containers.values()))
    return app_id, am_container(cluster, app_id).container_id


def foreign_container(nm, app_id=ApplicationId(1767225600000, 99), number=1, node_id=None,
                      user="alice"):
    container_id = ContainerId(ApplicationAttemptId(app_id, 1), number)
    return Container(container_id, node_id or nm.node_id, "node-0:8042", Resource(1024, 1), 0,
                     user=user)


def start_request(container, *commands):
    return StartContainerRequest(container, ContainerLaunchContext(commands=commands or ("record",)))


def test_provides_container_management_protocol(nm):
    """A NodeManager provides ``IContainerManagementProtocol``."""
    assert verifyObject(IContainerManagementProtocol, nm)


def test_registers_with_the_resource_manager(cluster, nm):
    """A started NodeManager is a RUNNING node with its capability, rack and web address."""
    node = cluster.rm.nodes[nm.node_id]
    assert node.state is NodeState.RUNNING
    assert node.capability == nm.resource
    assert nm.running
    assert nm.http_address == "node-0:8042"


def test_heartbeats_every_second(cluster, nm, clock):
    """A NodeManager heartbeats every 1000 ms, keeping its node alive."""
    start = cluster.rm.nm_liveness.last_ping(nm.node_id)
    clock.advance(10)
    assert cluster.rm.nm_liveness.last_ping(nm.node_id) == start + 10000
    clock.advance(60)
    assert cluster.rm.nodes[nm.node_id].state is NodeState.RUNNING


def test_registration_refused(clock, tmp_path):
    """A NodeManager the RM refuses (below the minimum allocation) does not run."""
    cluster = YarnCluster(clock, tmp_path, [NodeGroup(1, memory_mb=512)])
    nm = cluster.node_managers["node-0"]
    assert nm.start() is False
    assert not nm.running
    assert nm.node_id not in cluster.rm.nodes


def test_am_container_runs_with_its_environment(cluster, nm):
    """The RM's AM container runs its program with the NM's and the RM's variables."""
    app_id, container_id = start_running_am(cluster, nm, "record", environment={"MY": "{{USER}}"})
    (context,) = Record.contexts
    environment = context.environment
    assert environment["CONTAINER_ID"] == str(container_id)
    assert environment["MY"] == environment["USER"] == "alice"
    assert environment["NM_HOST"] == "node-0"
    assert environment["NM_PORT"] == "45454"
    assert environment["APP_SUBMIT_TIME_ENV"] == str(cluster.rm.apps[app_id].submit_time)
    assert environment["MAX_APP_ATTEMPTS"] == "2"
    assert context.endpoints is cluster.endpoints
    cluster.clock.advance(1)
    assert cluster.rm.containers[container_id].state.value == "RUNNING"


def test_start_containers_happy_path(nm, clock):
    """Started containers are answered as started, get their directories and run their command."""
    container = foreign_container(nm)
    response = nm.start_containers([start_request(container, "record")])
    assert response.successfully_started_containers == (container.id,)
    assert response.failed_requests == {}
    clock.advance(0)
    started = nm.containers[container.id]
    assert started.state is NMContainerState.RUNNING
    assert os.path.isdir(started.working_dir) and os.path.isdir(started.log_dir)
    (context,) = Record.contexts
    assert context.container_id == container.id


def test_start_containers_before_start_is_refused(clock, tmp_path):
    """A NodeManager not yet registered refuses containers with NMNotYetReadyException."""
    cluster = YarnCluster(clock, tmp_path, [NodeGroup(1)])
    nm = cluster.node_managers["node-0"]
    container = foreign_container(nm)
    response = nm.start_containers([start_request(container)])
    assert response.successfully_started_containers == ()
    error = response.failed_requests[container.id]
    assert isinstance(error, NMNotYetReadyException)
    assert error.message == (
        "Rejecting new containers as NodeManager has not yet connected with ResourceManager")


def test_start_containers_for_another_node_is_refused(nm):
    """A container allocated on another node is refused."""
    container = foreign_container(nm, node_id=NodeId("node-7", 45454))
    response = nm.start_containers([start_request(container)])
    error = response.failed_requests[container.id]
    assert type(error) is YarnException
    assert "is for NodeManager node-7:45454" in error.message
    assert nm.containers == {}


def test_start_containers_duplicate_is_refused(nm):
    """Starting a container id the node already has is refused, and the first one carries on."""
    container = foreign_container(nm)
    assert nm.start_containers([start_request(container)]).failed_requests == {}
    response = nm.start_containers([start_request(container, "true")])
    assert response.failed_requests[container.id].message == (
        f"Container {container.id} already is running on this node!!")
    assert len(nm.containers) == 1


@pytest.mark.parametrize("user", ["../../etc", "a/b", "..", ".", "-rf", "x y"])
def test_start_containers_with_bad_user_is_refused(nm, tmp_path, user):
    """A user name that is not a plain name is refused: it would name a directory elsewhere."""
    container = foreign_container(nm, user=user)
    response = nm.start_containers([start_request(container)])
    assert "Invalid user name" in response.failed_requests[container.id].message
    assert nm.containers == {}
    assert not os.path.exists(tmp_path / "nm" / "node-0" / "local" / "etc")


def test_start_containers_answers_per_container(nm):
    """A batch is answered per container: the good ones start, the bad ones fail."""
    good = foreign_container(nm, number=1)
    bad = foreign_container(nm, number=2, node_id=NodeId("elsewhere", 1))
    response = nm.start_containers([start_request(good), start_request(bad)])
    assert response.successfully_started_containers == (good.id,)
    assert list(response.failed_requests) == [bad.id]


def test_get_container_statuses(nm, clock):
    """Statuses are answered for the node's containers; unknown ones fail per container."""
    container = foreign_container(nm)
    nm.start_containers([start_request(container, "record 0")])
    clock.advance(0)
    unknown = foreign_container(nm, number=5).id
    response = nm.get_container_statuses([container.id, unknown])
    (status,) = response.container_statuses
    assert (status.container_id, status.state, status.exit_status) == (
        container.id, ContainerState.COMPLETE, 0)
    assert response.failed_requests[unknown].message == (
        f"Container {unknown} is not handled by this NodeManager")


def test_stop_unknown_container_fails(nm):
    """Stopping a container the node does not have fails for that container."""
    unknown = foreign_container(nm).id
    response = nm.stop_containers([unknown])
    assert response.successfully_stopped_containers == ()
    assert isinstance(response.failed_requests[unknown], YarnException)


def test_stop_containers_status_reaches_the_resource_manager(cluster, nm):
    """A container stopped by its AM completes with KILLED_BY_APPMASTER, and the RM learns it."""
    app_id, container_id = start_running_am(cluster, nm)
    rm_container = am_container(cluster, app_id)
    response = nm.stop_containers([container_id])
    assert response.successfully_stopped_containers == (container_id,)
    run_until(cluster.clock, lambda: rm_container.state.is_final)
    assert rm_container.exit_status == ContainerExitStatus.KILLED_BY_APPMASTER
    assert "Container killed by the ApplicationMaster." in rm_container.diagnostics
    attempt = cluster.rm.apps[app_id].attempts[0]
    assert "exited with  exitCode: -105" in attempt.diagnostics


def test_program_timers_stop_when_its_container_is_stopped(cluster, nm, clock):
    """After its container is stopped, a program's timers never fire again."""
    app_id, container_id = start_running_am(cluster, nm)
    clock.advance(3)
    nm.stop_containers([container_id])
    ticks = [tick for tick in Record.ticks if tick[0] == container_id]
    assert len(ticks) == 3
    clock.advance(30)
    assert [tick for tick in Record.ticks if tick[0] == container_id] == ticks


def test_localized_am_resources(cluster, nm):
    """The AM container's resources are fetched from the fake HDFS into its working directory."""
    status = cluster.filesystem.create("/user/alice/.staging/app.conf", b"conf!", "alice")
    resource = LocalResource(URL.for_hdfs_path("/user/alice/.staging/app.conf"), status.length,
                             status.modification_time)
    start_running_am(cluster, nm, "record", local_resources={"app.conf": resource})
    (context,) = Record.contexts
    with open(os.path.join(context.working_dir, "app.conf"), "rb") as stream:
        assert stream.read() == b"conf!"


def test_localization_failure_fails_the_attempt(cluster, nm):
    """A localization failure completes the AM container with -1000 and its diagnostics."""
    resource = LocalResource(URL.for_hdfs_path("/user/alice/gone.jar"), 10, 1)
    app_id = submit(cluster, "record", local_resources={"gone.jar": resource})
    run_until(cluster.clock, lambda: (am_container(cluster, app_id) is not None
                                      and am_container(cluster, app_id).state.is_final))
    rm_container = am_container(cluster, app_id)
    assert rm_container.exit_status == ContainerExitStatus.INVALID
    assert rm_container.diagnostics == (
        "java.io.FileNotFoundException: File does not exist: hdfs:///user/alice/gone.jar")
    assert "exited with  exitCode: -1000" in cluster.rm.apps[app_id].attempts[0].diagnostics
    assert Record.contexts == []


def test_unknown_program_fails_the_attempt(cluster, nm):
    """An AM container whose program is unknown exits 127, and the RM fails the attempt."""
    app_id = submit(cluster, "rm -rf /")
    run_until(cluster.clock, lambda: (am_container(cluster, app_id) is not None
                                      and am_container(cluster, app_id).state.is_final))
    rm_container = am_container(cluster, app_id)
    assert rm_container.exit_status == 127
    assert "rm: command not found" in rm_container.diagnostics
    assert nm.running


def test_container_unknown_to_the_rm_is_cleaned_up(cluster, nm, clock):
    """A running container the RM does not know is killed on its order: KILLED_BY_RESOURCEMANAGER."""
    container = foreign_container(nm)
    nm.start_containers([start_request(container)])
    clock.advance(2)
    status = nm.containers[container.id].status()
    assert status.state is ContainerState.COMPLETE
    assert status.exit_status == ContainerExitStatus.KILLED_BY_RESOURCEMANAGER == -106
    assert "Container Killed by ResourceManager" in status.diagnostics


def test_rm_cleanup_order_kills_with_minus_106(cluster, nm):
    """A container the RM orders cleaned up completes with -106, which reaches the RM."""
    app_id, container_id = start_running_am(cluster, nm)
    rm_container = am_container(cluster, app_id)
    cluster.rm.cleanup_container_on_node(rm_container)
    run_until(cluster.clock, lambda: rm_container.state.is_final)
    assert rm_container.exit_status == ContainerExitStatus.KILLED_BY_RESOURCEMANAGER
    assert nm.containers[container_id].status().exit_status == -106


def test_killed_application_containers_are_cleaned_up(cluster, nm, clock):
    """Killing an application makes the RM order its containers cleaned up: -106 on the node."""
    app_id, container_id = start_running_am(cluster, nm)
    cluster.yarn_client("alice").kill_application(app_id)
    run_until(clock, lambda: cluster.rm.apps[app_id].state is RMAppState.KILLED)
    clock.advance(3)
    done = [event for event in cluster.events.events
            if isinstance(event, NMContainerStateChanged) and event.container_id == container_id
            and event.to_state is NMContainerState.DONE]
    assert [event.exit_code for event in done] == [-106]


def test_application_cleanup_kills_and_removes_its_directories(cluster, nm, clock):
    """An application cleanup order kills its containers with -107 and removes its appcache
    directory, keeping its logs."""
    status = cluster.filesystem.create("/user/alice/data.txt", b"data", "alice")
    resource = LocalResource(URL.for_hdfs_path("/user/alice/data.txt"), status.length,
                             status.modification_time)
    app_id, container_id = start_running_am(cluster, nm, "stubborn",
                                            local_resources={"data.txt": resource})
    container = nm.containers[container_id]
    appcache = os.path.dirname(container.working_dir)
    assert os.path.isdir(appcache)
    cluster.rm.nodes[nm.node_id].apps_to_cleanup.append(app_id)
    clock.advance(1)
    assert container.state is NMContainerState.KILLING
    refused = nm.start_containers([start_request(foreign_container(nm, app_id, number=9))])
    assert "is finishing" in refused.failed_requests[ContainerId(
        ApplicationAttemptId(app_id, 1), 9)].message
    clock.advance(1)
    status = container.status()
    assert status.exit_status == ContainerExitStatus.KILLED_AFTER_APP_COMPLETION == -107
    assert status.diagnostics.startswith(
        "Container killed on application-finish event: Application killed by ResourceManager")
    assert container_id not in nm.containers
    assert not os.path.exists(appcache)
    assert os.path.isdir(container.log_dir)


def test_application_cleanup_forgets_its_cached_resources(cluster, nm, clock):
    """After an application's cleanup, its APPLICATION resources are fetched anew."""
    status = cluster.filesystem.create("/user/alice/data.txt", b"data", "alice")
    resource = LocalResource(URL.for_hdfs_path("/user/alice/data.txt"), status.length,
                             status.modification_time)
    app_id, container_id = start_running_am(cluster, nm, "record 0",
                                            local_resources={"data.txt": resource})
    cluster.rm.nodes[nm.node_id].apps_to_cleanup.append(app_id)
    clock.advance(2)
    assert container_id not in nm.containers
    container = foreign_container(nm, app_id, number=5)
    nm.start_containers([StartContainerRequest(container, ContainerLaunchContext(
        local_resources={"data.txt": resource}, commands=["record 0"]))])
    clock.advance(0)
    assert nm.localizer.bytes_localized == 8
    with open(os.path.join(nm.containers[container.id].working_dir, "data.txt"), "rb") as f:
        assert f.read() == b"data"


def test_application_cleanup_honours_the_debug_delay(clock, tmp_path):
    """With ``yarn.nodemanager.delete.debug-delay-sec``, an application's files stay that long."""
    cluster = make_cluster(clock, tmp_path, **{"yarn.nodemanager.delete.debug-delay-sec": 600})
    nm = cluster.node_managers["node-0"]
    app_id, container_id = start_running_am(cluster, nm)
    appcache = os.path.dirname(nm.containers[container_id].working_dir)
    cluster.rm.nodes[nm.node_id].apps_to_cleanup.append(app_id)
    clock.advance(2)
    assert container_id not in nm.containers
    assert os.path.isdir(appcache)
    clock.advance(600)
    assert not os.path.exists(appcache)


def test_finished_application_leaves_no_files(cluster, nm, clock):
    """Once an application ends, the RM's cleanup order removes its appcache directories."""
    app_id, container_id = start_running_am(cluster, nm, "sleep 5")
    appcache = os.path.dirname(nm.containers[container_id].working_dir)
    run_until(clock, lambda: cluster.rm.apps[app_id].state.is_final and container_id not in
              nm.containers)
    assert not os.path.exists(appcache)


def test_fail_makes_the_node_lost(cluster, nm, clock):
    """A failed NodeManager stops heartbeating; its node is LOST after the expiry interval."""
    app_id, container_id = start_running_am(cluster, nm)
    failed_at = clock.seconds()
    nm.fail()
    assert not nm.running
    assert nm.containers == {}
    ticks = [tick for tick in Record.ticks if tick[0] == container_id]
    clock.advance(NM_EXPIRY_MS / 1000.0 - 1)
    assert cluster.rm.nodes[nm.node_id].state is NodeState.RUNNING
    run_until(clock, lambda: nm.node_id in cluster.rm.inactive_nodes)
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.LOST
    assert clock.seconds() - failed_at <= 2 * NM_EXPIRY_MS / 1000.0
    assert [tick for tick in Record.ticks if tick[0] == container_id] == ticks
    assert am_container(cluster, app_id).exit_status == ContainerExitStatus.ABORTED


def test_fail_twice_is_harmless(nm):
    """Failing a failed NodeManager does nothing."""
    nm.fail()
    nm.fail()
    assert not nm.running


def test_failed_node_refuses_containers(nm):
    """A failed NodeManager refuses new containers."""
    nm.fail()
    container = foreign_container(nm)
    response = nm.start_containers([start_request(container)])
    assert isinstance(response.failed_requests[container.id], NMNotYetReadyException)


def test_restart_after_fail(cluster, nm, clock):
    """A failed NodeManager started again registers again and runs containers."""
    nm.fail()
    run_until(clock, lambda: nm.node_id in cluster.rm.inactive_nodes)
    assert nm.start()
    assert cluster.rm.nodes[nm.node_id].state is NodeState.RUNNING
    clock.advance(30)
    assert cluster.rm.nodes[nm.node_id].state is NodeState.RUNNING


def test_stop_makes_the_node_shutdown(cluster, nm, clock):
    """A stopped NodeManager finishes its applications (their containers killed with -107, their
    files removed) and unregisters: its node is SHUTDOWN."""
    app_id, container_id = start_running_am(cluster, nm)
    appcache = os.path.dirname(nm.containers[container_id].working_dir)
    nm.stop()
    assert not nm.running
    clock.advance(1)
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.SHUTDOWN
    (done,) = [event for event in cluster.events.events
               if isinstance(event, NMContainerStateChanged)
               and event.container_id == container_id and event.to_state is NMContainerState.DONE]
    assert done.exit_code == ContainerExitStatus.KILLED_AFTER_APP_COMPLETION
    assert done.diagnostics.startswith(
        "Container killed on application-finish event: Application killed on shutdown")
    assert container_id not in nm.containers
    assert not os.path.exists(appcache)
    ticks = [tick for tick in Record.ticks if tick[0] == container_id]
    clock.advance(10)
    assert [tick for tick in Record.ticks if tick[0] == container_id] == ticks


def test_stop_twice_is_harmless(cluster, nm):
    """Stopping a stopped NodeManager does nothing."""
    nm.stop()
    nm.stop()
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.SHUTDOWN


def test_resync_kills_containers_and_registers_again(tmp_path):
    """On a RESYNC answer the NodeManager kills its containers (-106) and registers again."""
    node = Node(tmp_path)
    node.nm.start()
    container_id = node.start("record")
    node.clock.advance(1)
    node.tracker.resync = True
    node.clock.advance(1)
    assert len(node.tracker.registered) == 2
    assert node.nm.running
    node.clock.advance(0)
    status = node.nm.containers[container_id].status()
    assert status.exit_status == ContainerExitStatus.KILLED_BY_RESOURCEMANAGER
    node.clock.advance(5)
    assert node.nm.running


def test_killing_a_container_process_reports_exit_code_137(tmp_path):
    """
    A container whose process is killed exits 137, the RM sees it completed with 137, and
    DistributedShell (whose only task failed) finishes its application FAILED.
    """
    running = RunningCluster(tmp_path, nodes=1)
    app_id = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    running.run_until(lambda: sum(c.state.value == "RUNNING" for c in running.rm.containers.values()) == 2)
    task = next(c for c in running.rm.containers.values() if not c.is_am)
    nm = running.cluster.node_managers[task.node_id.host]
    nm.kill_container_process(task.container_id)
    running.advance(2)
    assert (task.state.value, int(task.exit_status)) == ("COMPLETED", 137)
    assert running.run_until_app_state(app_id, YarnApplicationState.FINISHED)
    assert running.app(app_id).final_application_status == FinalApplicationStatus.FAILED
    with pytest.raises(YarnException, match="is not running"):
        nm.kill_container_process(task.container_id)
