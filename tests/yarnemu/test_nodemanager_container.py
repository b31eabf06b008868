"""
Tests for :mod:`yarnemu.nodemanager.container` and :mod:`yarnemu.lifecycle.nmcontainer`: a
container's life inside a NodeManager built by hand, with a scripted ResourceTracker.
"""

import os

import pytest
from zope.interface import implementer
from zope.interface.verify import verifyObject

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.config import YarnConfiguration
from yarnemu.dfs import FakeHDFS
from yarnemu.errors import InvalidStateTransitionException
from yarnemu.events import EventLog, NMContainerStateChanged
from yarnemu.interfaces import IResourceTracker
from yarnemu.lifecycle.nmcontainer import NM_CONTAINER_TRANSITIONS, ContainerEventType
from yarnemu.nodemanager.executor import InProcessContainerExecutor
from yarnemu.nodemanager.heartbeat_wheel import HeartbeatWheel
from yarnemu.nodemanager.nodemanager import NodeManager
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.records.container_manager_protocol import StartContainerRequest
from yarnemu.records.containers import URL, Container, ContainerLaunchContext, LocalResource
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import ContainerState, NMContainerState, NodeAction
from yarnemu.records.tracker_protocol import NodeHeartbeatResponse, RegisterNodeManagerResponse

S = NMContainerState
NODE = NodeId("node-0", 45454)
APP = ApplicationId(1767225600000, 1)
ATTEMPT = ApplicationAttemptId(APP, 1)
KILL_DELAY_MS = 250


@implementer(IResourceTracker)
class ScriptedTracker:
    """A ResourceTracker that accepts everything and gives the orders it is told to give."""

    def __init__(self):
        self.registered = []
        self.unregistered = []
        self.heartbeats = []
        self.quiet = 0
        self.containers_to_cleanup = []
        self.applications_to_cleanup = []
        self.resync = False
        self.response_id = 0

    def register_node_manager(self, request):
        self.registered.append(request)
        self.response_id = 0
        return RegisterNodeManagerResponse(NodeAction.NORMAL, 1767225600000)

    def node_heartbeat(self, request):
        self.heartbeats.append(request)
        if self.resync:
            self.resync = False
            return NodeHeartbeatResponse(0, NodeAction.RESYNC, 1000,
                                         diagnostics_message=f"Node not found resyncing {NODE}")
        self.response_id += 1
        response = NodeHeartbeatResponse(
            self.response_id, NodeAction.NORMAL, 1000,
            containers_to_cleanup=self.containers_to_cleanup,
            applications_to_cleanup=self.applications_to_cleanup,
        )
        self.containers_to_cleanup = []
        self.applications_to_cleanup = []
        return response

    def quiet_heartbeat(self, node_id, response_id, now_ms):
        if self.containers_to_cleanup or self.applications_to_cleanup or self.resync:
            return None
        self.quiet += 1
        self.response_id += 1
        return self.response_id

    def unregister_node_manager(self, node_id):
        self.unregistered.append(node_id)

    def statuses(self):
        return [status for request in self.heartbeats for status in request.container_statuses]


class Record(ContainerProgram):
    """Records its context; exits with its first argument if given, else runs until stopped."""

    contexts = []

    def start(self):
        Record.contexts.append(self.context)
        if self.context.args:
            self.context.exit(int(self.context.args[0]))


class Stubborn(ContainerProgram):
    def start(self):
        pass

    def terminate(self):
        pass


class Crash(ContainerProgram):
    def start(self):
        raise RuntimeError("crashed")


@pytest.fixture(autouse=True)
def reset_programs():
    Record.contexts = []


class Node:
    """A NodeManager built by hand with its clock, tracker, file system and event log."""

    def __init__(self, tmp_path, config=None):
        self.clock = VirtualClock(start=DEFAULT_EPOCH)
        self.events = EventLog(self.clock)
        self.tracker = ScriptedTracker()
        self.fs = FakeHDFS(tmp_path / "hdfs", self.clock)
        registry = ProgramRegistry({"record": Record, "stubborn": Stubborn, "crash": Crash})
        self.executor = InProcessContainerExecutor(self.clock, registry, None, KILL_DELAY_MS)
        self.nm = NodeManager(
            self.clock, config or YarnConfiguration(), NODE, Resource(8192, 8), self.tracker,
            self.fs, tmp_path / "nm", self.executor, self.events, HeartbeatWheel(self.clock, 1000),
            hadoop_conf_dir="/etc/hadoop/conf",
        )
        self.next_container = 1

    def start(self, *commands, local_resources=None, environment=None, user="alice",
              container_id=None):
        """Start a container running ``commands``; :return: its id."""
        if container_id is None:
            container_id = ContainerId(ATTEMPT, self.next_container)
            self.next_container += 1
        container = Container(container_id, NODE, "node-0:8042", Resource(1024, 1), 0,
                              user=user)
        context = ContainerLaunchContext(local_resources=local_resources or {},
                                         environment=environment or {}, commands=commands)
        response = self.nm.start_containers([StartContainerRequest(container, context)])
        assert response.failed_requests == {}, response.failed_requests
        return container_id

    def container(self, container_id):
        return self.nm.containers[container_id]

    def states(self, container_id):
        """The NM states the container went through, from its event stream."""
        changes = [event for event in self.events.events
                   if isinstance(event, NMContainerStateChanged)
                   and event.container_id == container_id]
        return [changes[0].from_state] + [event.to_state for event in changes] if changes else []

    def upload(self, path, data):
        status = self.fs.create(path, data, "alice")
        return LocalResource(URL.for_hdfs_path(path), status.length, status.modification_time)


@pytest.fixture
def node(tmp_path):
    node = Node(tmp_path)
    node.nm.start()
    return node


def test_transition_table_refuses_invalid_inputs():
    """The NM container lifecycle refuses inputs it has no arc for."""
    with pytest.raises(InvalidStateTransitionException):
        NM_CONTAINER_TRANSITIONS.next_state(S.NEW, ContainerEventType.CONTAINER_LAUNCHED)
    with pytest.raises(InvalidStateTransitionException):
        NM_CONTAINER_TRANSITIONS.next_state(S.DONE, ContainerEventType.INIT_CONTAINER)


def test_transition_table_kill_path():
    """KILL_CONTAINER leads from LOCALIZING, SCHEDULED and RUNNING to KILLING, and from NEW to
    DONE; a finished container ignores it."""
    kill = ContainerEventType.KILL_CONTAINER
    for state in (S.LOCALIZING, S.SCHEDULED, S.RUNNING):
        assert NM_CONTAINER_TRANSITIONS.next_state(state, kill) is S.KILLING
    assert NM_CONTAINER_TRANSITIONS.next_state(S.NEW, kill) is S.DONE
    for state in (S.KILLING, S.EXITED_WITH_SUCCESS, S.EXITED_WITH_FAILURE,
                  S.LOCALIZATION_FAILED, S.CONTAINER_CLEANEDUP_AFTER_KILL, S.DONE):
        assert NM_CONTAINER_TRANSITIONS.next_state(state, kill) is None


def test_main_path_without_resources(node):
    """A container without resources goes NEW, SCHEDULED, RUNNING, EXITED_WITH_SUCCESS, DONE."""
    container_id = node.start("record 0")
    node.clock.advance(0)
    assert node.states(container_id) == [
        S.NEW, S.SCHEDULED, S.RUNNING, S.EXITED_WITH_SUCCESS, S.DONE]
    status = node.container(container_id).status()
    assert (status.state, status.exit_status, status.diagnostics) == (
        ContainerState.COMPLETE, 0, "")
    assert status.capability == Resource(1024, 1)


def test_main_path_with_resources(node):
    """A container with resources is LOCALIZING before it is SCHEDULED."""
    resource = node.upload("/user/alice/a.txt", b"a")
    container_id = node.start("record 0", local_resources={"a.txt": resource})
    node.clock.advance(0)
    assert node.states(container_id) == [
        S.NEW, S.LOCALIZING, S.SCHEDULED, S.RUNNING, S.EXITED_WITH_SUCCESS, S.DONE]


def test_done_event_carries_exit_code_and_diagnostics(node):
    """The DONE event carries the exit code and the diagnostics; earlier ones carry none."""
    container_id = node.start("record 4")
    node.clock.advance(0)
    changes = [event for event in node.events.events if isinstance(event, NMContainerStateChanged)]
    assert [event.exit_code for event in changes[:-1]] == [None] * (len(changes) - 1)
    assert changes[-1].exit_code == 4
    assert "Exit code: 4" in changes[-1].diagnostics
    assert changes[-1].node_id == NODE


def test_public_state_while_running(node):
    """A running container reports RUNNING with the INVALID exit status."""
    container_id = node.start("record")
    node.clock.advance(0)
    status = node.container(container_id).status()
    assert (status.state, status.exit_status) == (ContainerState.RUNNING, -1000)


def test_failed_program_exit_code_and_diagnostics(node):
    """A program exiting non-zero completes the container with its code and a launch diagnostic."""
    container_id = node.start("record 3")
    node.clock.advance(0)
    assert node.states(container_id)[-2:] == [S.EXITED_WITH_FAILURE, S.DONE]
    status = node.container(container_id).status()
    assert status.exit_status == 3
    assert status.diagnostics.startswith(
        f"Exception from container-launch.\nContainer id: {container_id}\nExit code: 3\n")


def test_unknown_program_exits_127(node):
    """An unknown program completes the container with 127 and "command not found"."""
    container_id = node.start("{{JAVA_HOME}}/bin/java -Xmx64m org.example.Missing")
    node.clock.advance(0)
    status = node.container(container_id).status()
    assert status.exit_status == 127
    assert "org.example.Missing: command not found" in status.diagnostics
    assert node.nm.running


def test_crashing_program_exits_1(node):
    """A program that raises completes the container with exit code 1; the NM carries on."""
    container_id = node.start("crash", "2><LOG_DIR>/crash.err")
    node.clock.advance(0)
    container = node.container(container_id)
    assert container.status().exit_status == 1
    with open(os.path.join(container.log_dir, "crash.err"), encoding="utf-8") as stream:
        assert "RuntimeError: crashed" in stream.read()
    assert node.nm.running


def test_localization_failure(node):
    """A resource that cannot be localized completes the container with -1000 and the reason,
    and its program never runs."""
    resource = LocalResource(URL.for_hdfs_path("/user/alice/missing.jar"), 1, 0)
    container_id = node.start("record 0", local_resources={"app.jar": resource})
    node.clock.advance(0)
    assert node.states(container_id) == [S.NEW, S.LOCALIZING, S.LOCALIZATION_FAILED, S.DONE]
    status = node.container(container_id).status()
    assert (status.state, status.exit_status) == (ContainerState.COMPLETE,
                                                   ContainerExitStatus.INVALID)
    assert status.diagnostics == (
        "java.io.FileNotFoundException: File does not exist: hdfs:///user/alice/missing.jar")
    assert Record.contexts == []


def test_changed_resource_fails_localization(node):
    """A resource changed since it was registered fails localization with FSDownload's message."""
    resource = node.upload("/user/alice/app.jar", b"v1")
    node.clock.advance(1)
    node.fs.create("/user/alice/app.jar", b"v2", "alice", overwrite=True)
    container_id = node.start("record 0", local_resources={"app.jar": resource})
    node.clock.advance(0)
    status = node.container(container_id).status()
    assert status.exit_status == -1000
    assert "changed on src filesystem (expected" in status.diagnostics


def test_program_sees_localized_files(node):
    """The program's working directory holds its localized resources under their link names."""
    resource = node.upload("/user/alice/conf.yaml", b"key: value")
    node.start("record", local_resources={"conf/flink-conf.yaml": resource})
    node.clock.advance(0)
    (context,) = Record.contexts
    with open(os.path.join(context.working_dir, "conf", "flink-conf.yaml"), "rb") as stream:
        assert stream.read() == b"key: value"
    assert context.environment["PWD"] == context.working_dir


def test_program_sees_the_container_environment(node, tmp_path):
    """A program sees the NodeManager's variables and the launch context's, expanded."""
    container_id = node.start("record", environment={
        "CLASSPATH": "{{PWD}}/*<CPS>{{HADOOP_CONF_DIR}}",
        "LOG_FILE": "<LOG_DIR>/app.log",
        "GREETING": "hi $USER",
        "USER": "mallory",
    })
    node.clock.advance(0)
    (context,) = Record.contexts
    environment = context.environment
    local = str(tmp_path / "nm" / "local")
    app_dir = os.path.join(local, "usercache", "alice", "appcache", str(APP))
    work = os.path.join(app_dir, str(container_id))
    log_dir = str(tmp_path / "nm" / "logs" / str(APP) / str(container_id))
    assert environment["CONTAINER_ID"] == str(container_id)
    assert environment["NM_HOST"] == "node-0"
    assert environment["NM_PORT"] == "45454"
    assert environment["NM_HTTP_PORT"] == "8042"
    assert environment["LOCAL_DIRS"] == app_dir
    assert environment["LOCAL_USER_DIRS"] == os.path.join(local, "usercache", "alice") + "/"
    assert environment["LOG_DIRS"] == log_dir
    assert environment["USER"] == environment["LOGNAME"] == "alice"
    assert environment["HOME"] == "/home/"
    assert environment["PWD"] == work == context.working_dir
    assert environment["HADOOP_CONF_DIR"] == "/etc/hadoop/conf"
    assert environment["HADOOP_TOKEN_FILE_LOCATION"] == os.path.join(work, "container_tokens")
    assert environment["CLASSPATH"] == f"{work}/*:/etc/hadoop/conf"
    assert environment["LOG_FILE"] == f"{log_dir}/app.log"
    assert environment["GREETING"] == "hi alice"
    assert context.log_dir == log_dir
    assert context.user == "alice"
    assert context.container_id == container_id
    assert context.node_id == NODE
    assert os.path.isdir(work) and os.path.isdir(log_dir)


def test_command_is_expanded_with_the_container_environment(node):
    """The command line is expanded with the container's environment and log directory."""
    node.start("record $NM_HOST {{CONTAINER_ID}} <LOG_DIR>", environment={"X": "1"})
    node.clock.advance(0)
    (context,) = Record.contexts
    assert context.args == ("node-0", context.environment["CONTAINER_ID"], context.log_dir)


def test_default_user_is_yarn(node):
    """A container record without a user runs as ``yarn``."""
    node.start("record", user="")
    node.clock.advance(0)
    assert Record.contexts[0].environment["USER"] == "yarn"


def test_kill_running_container(node):
    """A running container stopped by its AM ends with -105 and the kill's diagnostics."""
    container_id = node.start("record")
    node.clock.advance(1)
    node.nm.stop_containers([container_id])
    node.clock.advance(0)
    assert node.states(container_id)[-4:] == [
        S.RUNNING, S.KILLING, S.CONTAINER_CLEANEDUP_AFTER_KILL, S.DONE]
    status = node.container(container_id).status()
    assert status.exit_status == ContainerExitStatus.KILLED_BY_APPMASTER == -105
    assert status.diagnostics == (
        "Container killed by the ApplicationMaster.\nContainer killed on request. Exit code is "
        "143\nContainer exited with a non-zero exit code 143. "
    )


def test_kill_before_launch(node):
    """A container stopped before its program launched never runs it."""
    container_id = node.start("record 0")
    node.nm.stop_containers([container_id])
    node.clock.advance(1)
    assert node.states(container_id) == [
        S.NEW, S.SCHEDULED, S.KILLING, S.CONTAINER_CLEANEDUP_AFTER_KILL, S.DONE]
    assert node.container(container_id).status().exit_status == -105
    assert Record.contexts == []


def test_kill_while_localizing(node):
    """A container stopped while localizing never localizes nor runs."""
    resource = node.upload("/user/alice/a.txt", b"a")
    container_id = node.start("record 0", local_resources={"a.txt": resource})
    node.nm.stop_containers([container_id])
    node.clock.advance(1)
    assert node.states(container_id) == [
        S.NEW, S.LOCALIZING, S.KILLING, S.CONTAINER_CLEANEDUP_AFTER_KILL, S.DONE]
    assert node.nm.localizer.bytes_localized == 0
    assert Record.contexts == []


def test_kill_of_stubborn_program_forces_it(node):
    """A program ignoring SIGTERM is killed after the delay; the status is still -105."""
    container_id = node.start("stubborn")
    node.clock.advance(1)
    node.nm.stop_containers([container_id])
    node.clock.advance(KILL_DELAY_MS / 1000.0 / 2)
    assert node.container(container_id).state is S.KILLING
    node.clock.advance(KILL_DELAY_MS / 1000.0)
    status = node.container(container_id).status()
    assert status.exit_status == -105
    assert "Exit code is 137" in status.diagnostics


def test_kill_of_finished_container_changes_nothing(node):
    """Stopping a container that already finished changes nothing."""
    container_id = node.start("record 0")
    node.clock.advance(0)
    response = node.nm.stop_containers([container_id])
    assert response.successfully_stopped_containers == (container_id,)
    assert node.container(container_id).status().exit_status == 0


def test_statuses_reach_the_resource_tracker(node):
    """Heartbeats carry the statuses that changed: RUNNING once, then COMPLETE."""
    container_id = node.start("record")
    node.clock.advance(1)
    node.nm.stop_containers([container_id])
    node.clock.advance(3)
    states = [(status.container_id, status.state, status.exit_status)
              for status in node.tracker.statuses()]
    assert states == [(container_id, ContainerState.RUNNING, -1000),
                      (container_id, ContainerState.COMPLETE, -105)]


def test_idle_heartbeats_are_quiet(node):
    """Heartbeats with nothing changed go the quiet way, one per interval."""
    node.clock.advance(5)
    assert node.tracker.quiet == 5
    assert node.tracker.heartbeats == []


def test_container_completing_between_heartbeats_reports_only_complete(node):
    """A container that starts and ends between two heartbeats is reported COMPLETE only."""
    container_id = node.start("record 0")
    node.clock.advance(1)
    assert [(status.container_id, status.state) for status in node.tracker.statuses()] == [
        (container_id, ContainerState.COMPLETE)]


def test_resource_tracker_verifies(node):
    """The scripted tracker used here provides ``IResourceTracker``."""
    assert verifyObject(IResourceTracker, node.tracker)


def test_fail_before_launch_runs_nothing(node):
    """A node that dies before a container's launch never runs its program."""
    resource = node.upload("/user/alice/a.txt", b"a")
    node.start("record 0")
    node.start("record 0", local_resources={"a.txt": resource})
    events = len(node.events.events)
    node.nm.fail()
    node.clock.advance(10)
    assert Record.contexts == []
    assert len(node.events.events) == events
    assert node.nm.localizer.bytes_localized == 0


def test_fail_while_killing_reports_nothing(node):
    """A node that dies while a container is being killed runs nothing more for it."""
    node.start("stubborn")
    node.clock.advance(1)
    node.nm.stop_containers(list(node.nm.containers))
    events = len(node.events.events)
    node.nm.fail()
    node.clock.advance(10)
    assert len(node.events.events) == events
    assert node.clock.pending() == 0
