"""
Tests for :mod:`yarnemu.nodemanager.process_executor`: containers run as real processes (``bash``,
``sleep``, ``python3``) by a NodeManager on the real reactor, started and stopped through its
``ContainerManagementProtocol``; and a whole :class:`~yarnemu.cluster.YarnCluster` whose
ApplicationMaster is such a process.  Trial test cases: pytest runs them with the reactor spinning.
"""

import io
import json
import os
import shlex
import shutil
import signal
import sys
import tarfile
import tempfile
import zipfile

from twisted.internet import reactor
from twisted.internet.defer import inlineCallbacks
from twisted.internet.error import ProcessDone
from twisted.internet.task import Clock, deferLater
from twisted.python.failure import Failure
from twisted.trial.unittest import TestCase
from zope.interface import implementer
from zope.interface.verify import verifyObject

from tests.yarnemu.test_nodemanager_container import ScriptedTracker
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.dfs import FakeHDFS
from yarnemu.events import EventLog, NMContainerStateChanged
from yarnemu.nodemanager.executor import ContainerLaunch, IRunningContainer
from yarnemu.nodemanager.heartbeat_wheel import HeartbeatWheel
from yarnemu.nodemanager.launch_script import EMPTY_CREDENTIALS
from yarnemu.nodemanager.nodemanager import NodeManager
from yarnemu.nodemanager.process_executor import (
    LAUNCH_FAILED,
    IContainerSite,
    IProcessContainerExecutor,
    ProcessContainerExecutor,
    inherited_environment,
)
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.container_manager_protocol import StartContainerRequest
from yarnemu.records.containers import URL, Container, ContainerLaunchContext, LocalResource
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    LocalResourceType,
    NMContainerState,
    RMAppState,
)

S = NMContainerState
NODE = NodeId("node-0", 45454)
ATTEMPT = ApplicationAttemptId(ApplicationId(1767225600000, 1), 1)
KILL_DELAY_MS = 100
HOST_PATH = os.environ.get("PATH", os.defpath)
DUMP_ENVIRONMENT = (f"{shlex.quote(sys.executable)} -c 'import json, os; "
                    "json.dump(dict(os.environ), open(\"env.json\", \"w\"))'")


def alive(pid):
    """:return: whether ``pid`` is a process that has not died (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


@implementer(IContainerSite)
class ConfSite:
    """Writes ``hadoop-conf/yarn-site.xml`` naming the container; HADOOP_CONF_DIR names it."""

    def __init__(self):
        self.setups = []

    def prepare(self, setup):
        self.setups.append(setup)
        conf = os.path.join(setup.working_dir, "hadoop-conf")
        os.makedirs(conf)
        with open(os.path.join(conf, "yarn-site.xml"), "w") as stream:
            stream.write(f"<configuration><!-- {setup.container_id} --></configuration>\n")
        return {"HADOOP_CONF_DIR": conf}


@implementer(IContainerSite)
class BrokenSite:
    def prepare(self, setup):
        raise RuntimeError("no scheduler address for this container")


class ProcessNode:
    """A NodeManager on the real reactor, with a process executor and a scripted tracker."""

    def __init__(self, directory, site=None, environ=None):
        self.directory = directory
        self.events = EventLog(reactor)
        self.tracker = ScriptedTracker()
        self.fs = FakeHDFS(os.path.join(directory, "hdfs"), reactor)
        self.executor = ProcessContainerExecutor(
            reactor, site=site, kill_delay_ms=KILL_DELAY_MS,
            environ=environ if environ is not None else {"PATH": HOST_PATH,
                                                         "JAVA_HOME": "/opt/jdk"},
        )
        self.nm = NodeManager(
            reactor, YarnConfiguration(), NODE, Resource(8192, 8), self.tracker, self.fs,
            os.path.join(directory, "nm"), self.executor, self.events,
            HeartbeatWheel(reactor, 1000), hadoop_conf_dir="/etc/hadoop/conf",
        )
        self.nm.start()
        self.next_container = 1

    def start(self, *commands, local_resources=None, environment=None, tokens=None):
        """Start a container running ``commands``; :return: its id."""
        container_id = ContainerId(ATTEMPT, self.next_container)
        self.next_container += 1
        container = Container(container_id, NODE, "node-0:8042", Resource(1024, 1), 0,
                              user="alice")
        context = ContainerLaunchContext(local_resources=local_resources or {},
                                         environment=environment or {}, commands=commands,
                                         tokens=tokens)
        response = self.nm.start_containers([StartContainerRequest(container, context)])
        assert response.failed_requests == {}, response.failed_requests
        return container_id

    def container(self, container_id):
        return self.nm.containers[container_id]

    def done(self, container_id):
        return self.container(container_id).state is S.DONE

    def status(self, container_id):
        return self.container(container_id).status()

    def working_file(self, container_id, name):
        return os.path.join(self.container(container_id).working_dir, name)

    def log_file(self, container_id, name):
        return os.path.join(self.container(container_id).log_dir, name)

    def upload(self, path, data, type=LocalResourceType.FILE):
        status = self.fs.create(path, data, "alice")
        return LocalResource(URL.for_hdfs_path(path), status.length, status.modification_time,
                             type)

    def states(self, container_id):
        changes = [event for event in self.events.events
                   if isinstance(event, NMContainerStateChanged)
                   and event.container_id == container_id]
        return [changes[0].from_state] + [event.to_state for event in changes]


def local_resource(path, type=LocalResourceType.FILE, timestamp=None):
    """The ``file:`` LocalResource a Java client registers for a file of this machine."""
    status = os.stat(path)
    if timestamp is None:
        timestamp = status.st_mtime_ns // 1_000_000
    return LocalResource(URL("file", str(path)), status.st_size, timestamp, type)


class ProcessTestCase(TestCase):
    timeout = 20

    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="yarnemu-process-")
        self.addCleanup(shutil.rmtree, self.directory, True)

    def node(self, **options):
        node = ProcessNode(self.directory, **options)
        self.addCleanup(node.executor.shutdown)
        self.addCleanup(node.nm.fail)
        return node

    @inlineCallbacks
    def wait_for(self, predicate, seconds=5.0):
        """Let the reactor run until ``predicate()`` holds."""
        deadline = reactor.seconds() + seconds
        while not predicate():
            if reactor.seconds() > deadline:
                self.fail(f"still waiting after {seconds} s")
            yield deferLater(reactor, 0.01, lambda: None)


class EnvironmentTests(ProcessTestCase):
    @inlineCallbacks
    def test_environment_is_exported_and_expanded(self):
        """The process gets the NodeManager's variables, the inherited ones and the launch
        context's, expanded once (``{{VAR}}``, ``$VAR``, ``<CPS>``, ``<LOG_DIR>``) and exported
        literally; nothing else of the service's environment; its working directory is PWD."""
        node = self.node(environ={"PATH": HOST_PATH, "JAVA_HOME": "/opt/jdk", "LANG": "C.UTF-8",
                                  "SECRET": "not for containers"})
        container_id = node.start(DUMP_ENVIRONMENT, environment={
            "CLASSPATH": "{{PWD}}/lib/*<CPS>$HADOOP_CONF_DIR<CPS>{{JAVA_HOME}}/lib",
            "GC_LOG": "<LOG_DIR>/gc.log",
            "ODD": "it's \"$5\" `x` \\ $(true)\nend",
            "PATH": "{{PATH}}<CPS>/opt/bin",
            "CONTAINER_ID": "cannot override",
        })
        yield self.wait_for(lambda: node.done(container_id))
        assert node.status(container_id).exit_status == 0, node.status(container_id).diagnostics
        container = node.container(container_id)
        with open(node.working_file(container_id, "env.json")) as stream:
            environment = json.load(stream)
        work = container.working_dir
        assert environment["PWD"] == work
        assert environment["CONTAINER_ID"] == str(container_id)
        assert (environment["NM_HOST"], environment["NM_PORT"]) == ("node-0", "45454")
        assert environment["LOG_DIRS"] == container.log_dir
        assert (environment["USER"], environment["LOGNAME"]) == ("alice", "alice")
        assert environment["HADOOP_CONF_DIR"] == "/etc/hadoop/conf"
        assert (environment["JAVA_HOME"], environment["LANG"]) == ("/opt/jdk", "C.UTF-8")
        assert environment["CLASSPATH"] == f"{work}/lib/*:/etc/hadoop/conf:/opt/jdk/lib"
        assert environment["GC_LOG"] == f"{container.log_dir}/gc.log"
        assert environment["ODD"] == "it's \"$5\" `x` \\ $(true)\nend"
        assert environment["PATH"] == f"{HOST_PATH}:/opt/bin"
        assert "SECRET" not in environment
        with open(environment["HADOOP_TOKEN_FILE_LOCATION"], "rb") as stream:
            assert stream.read() == EMPTY_CREDENTIALS

    @inlineCallbacks
    def test_site_variables_and_files(self):
        """The site's files are in the working directory before the command runs, and the launch
        context's variables expand against the site's HADOOP_CONF_DIR; tokens the launch context
        carries are its container_tokens."""
        site = ConfSite()
        node = self.node(site=site)
        container_id = node.start(
            'cat "$HADOOP_CONF_DIR/yarn-site.xml" 1><LOG_DIR>/stdout;', DUMP_ENVIRONMENT,
            environment={"CLASSPATH": "{{HADOOP_CONF_DIR}}<CPS>app.jar"}, tokens=b"HDTS\x01x")
        yield self.wait_for(lambda: node.done(container_id))
        assert node.status(container_id).exit_status == 0
        conf = node.working_file(container_id, "hadoop-conf")
        with open(node.working_file(container_id, "env.json")) as stream:
            environment = json.load(stream)
        assert environment["HADOOP_CONF_DIR"] == conf
        assert environment["CLASSPATH"] == f"{conf}:app.jar"
        with open(node.log_file(container_id, "stdout")) as stream:
            assert str(container_id) in stream.read()
        with open(node.working_file(container_id, "container_tokens"), "rb") as stream:
            assert stream.read() == b"HDTS\x01x"
        (setup,) = site.setups
        assert (setup.container_id, setup.node_id, setup.user) == (container_id, NODE, "alice")
        assert setup.environment["CONTAINER_ID"] == str(container_id)

    @inlineCallbacks
    def test_site_failure_fails_the_launch(self):
        """A site that fails fails the container's launch, with its error; nothing runs."""
        node = self.node(site=BrokenSite())
        container_id = node.start("touch ran")
        yield self.wait_for(lambda: node.done(container_id))
        status = node.status(container_id)
        assert status.exit_status == LAUNCH_FAILED
        assert ("Failed to launch container: RuntimeError: no scheduler address for this "
                "container") in status.diagnostics
        assert not os.path.exists(node.working_file(container_id, "ran"))

    def test_inherited_environment(self):
        """The whitelisted variables of the service's environment, with JAVA_HOME found from the
        ``java`` on PATH when unset, or given."""
        jdk = os.path.join(self.directory, "jdk")
        os.makedirs(os.path.join(jdk, "bin"))
        java = os.path.join(jdk, "bin", "java")
        with open(java, "w") as stream:
            stream.write("#!/bin/sh\n")
        os.chmod(java, 0o755)
        environ = {"PATH": f"{jdk}/bin:/usr/bin", "TZ": "UTC", "HOME": "/root", "LD_PRELOAD": "x"}
        assert inherited_environment(environ) == {
            "PATH": f"{jdk}/bin:/usr/bin", "TZ": "UTC", "JAVA_HOME": jdk}
        assert inherited_environment(environ, java_home="/opt/jdk")["JAVA_HOME"] == "/opt/jdk"
        assert inherited_environment({"PATH": "/nonexistent"}) == {"PATH": "/nonexistent"}

    def test_interfaces(self):
        """The executor provides IProcessContainerExecutor, and its NodeManager's localizer takes
        ``file:`` resources."""
        node = self.node()
        verifyObject(IProcessContainerExecutor, node.executor)
        assert node.nm.localizer.local_files


class OutputAndResourceTests(ProcessTestCase):
    @inlineCallbacks
    def test_log_dir_redirection_and_prelaunch_output(self):
        """``<LOG_DIR>`` redirections write into the log directory; output that is not redirected
        goes to prelaunch.out and prelaunch.err; the script is copied beside them."""
        node = self.node()
        redirected = node.start("{ echo out; echo err >&2; }",
                                "1><LOG_DIR>/stdout 2><LOG_DIR>/stderr")
        plain = node.start("echo plain; echo oops >&2")
        yield self.wait_for(lambda: node.done(redirected) and node.done(plain))
        with open(node.log_file(redirected, "stdout")) as out, \
                open(node.log_file(redirected, "stderr")) as err:
            assert (out.read(), err.read()) == ("out\n", "err\n")
        with open(node.log_file(plain, "prelaunch.out")) as out, \
                open(node.log_file(plain, "prelaunch.err")) as err:
            assert out.read() == "Setting up env variables\nLaunching container\nplain\n"
            assert err.read() == "oops\n"
        with open(node.log_file(plain, "launch_container.sh")) as copy, \
                open(node.working_file(plain, "launch_container.sh")) as script:
            assert copy.read() == script.read()

    @inlineCallbacks
    def test_resources_linked_and_archive_unpacked(self):
        """A fake-HDFS file is linked into the working directory, an ARCHIVE unpacked, and
        ``file:`` resources of this machine are accepted: a file linked where it is, a zip
        unpacked."""
        node = self.node()
        tgz = io.BytesIO()
        with tarfile.open(fileobj=tgz, mode="w:gz") as bundle:
            data = b"inside the tarball\n"
            member = tarfile.TarInfo("conf/settings.txt")
            member.size = len(data)
            bundle.addfile(member, io.BytesIO(data))
        local = os.path.join(self.directory, "client", "flink-dist.jar")
        os.makedirs(os.path.dirname(local))
        with open(local, "wb") as stream:
            stream.write(b"the client's jar\n")
        local_zip = os.path.join(self.directory, "client", "python.zip")
        with zipfile.ZipFile(local_zip, "w") as bundle:
            bundle.writestr("pkg/module.py", "x = 1\n")
        resources = {
            "app.txt": node.upload("/user/alice/app.txt", b"from hdfs\n"),
            "archive": node.upload("/user/alice/conf.tgz", tgz.getvalue(),
                                   LocalResourceType.ARCHIVE),
            "lib/flink-dist.jar": local_resource(local),
            "python": local_resource(local_zip, LocalResourceType.ARCHIVE),
        }
        container_id = node.start(
            "cat app.txt archive/conf/settings.txt lib/flink-dist.jar python/pkg/module.py",
            "1><LOG_DIR>/stdout", local_resources=resources)
        yield self.wait_for(lambda: node.done(container_id))
        assert node.status(container_id).exit_status == 0, node.status(container_id).diagnostics
        with open(node.log_file(container_id, "stdout")) as stream:
            assert stream.read() == (
                "from hdfs\ninside the tarball\nthe client's jar\nx = 1\n")
        assert os.path.realpath(node.working_file(container_id, "lib/flink-dist.jar")) == local

    @inlineCallbacks
    def test_changed_local_file_fails_localization(self):
        """A ``file:`` resource whose timestamp is not the registered one fails localization with
        FSDownload's message, as a missing one does; the command never runs."""
        node = self.node()
        local = os.path.join(self.directory, "app.jar")
        with open(local, "wb") as stream:
            stream.write(b"v2")
        stale = local_resource(local, timestamp=1000)
        changed = node.start("touch ran", local_resources={"app.jar": stale})
        missing = node.start("touch ran", local_resources={
            "app.jar": LocalResource(URL("file", local + ".missing"), 1, 1000)})
        yield self.wait_for(lambda: node.done(changed) and node.done(missing))
        assert node.states(changed) == [S.NEW, S.LOCALIZING, S.LOCALIZATION_FAILED, S.DONE]
        assert (f"Resource file:{local} changed on src filesystem (expected 1000, was "
                in node.status(changed).diagnostics)
        assert node.status(missing).diagnostics == (
            f"java.io.FileNotFoundException: File file:{local}.missing does not exist")
        assert not os.path.exists(node.working_file(changed, "ran"))


class ExitTests(ProcessTestCase):
    @inlineCallbacks
    def test_exit_codes(self):
        """The container reports its process's real exit code, with Hadoop's diagnostics (the
        tail of its stderr); a signal death is 128 + the signal, as bash reports it."""
        node = self.node()
        codes = {
            "exit 0": 0,
            "echo failing >&2; exit 3": 3,
            "echo bad 2><LOG_DIR>/stderr >&2; exit 4": 4,
            "kill -USR1 $$": 128 + signal.SIGUSR1,
            "kill -9 $$": 137,
        }
        started = {node.start(command): code for command, code in codes.items()}
        yield self.wait_for(lambda: all(node.done(c) for c in started))
        for container_id, code in started.items():
            status = node.status(container_id)
            assert status.exit_status == code, (container_id, status.diagnostics)
        exit_3, exit_4 = list(started)[1:3]
        assert node.states(exit_3)[-3:] == [S.RUNNING, S.EXITED_WITH_FAILURE, S.DONE]
        assert node.status(exit_3).diagnostics == (
            f"Exception from container-launch.\nContainer id: {exit_3}\nExit code: 3\n"
            "Container exited with a non-zero exit code 3. Error file: prelaunch.err.\n"
            "Last 4096 bytes of prelaunch.err :\nfailing\n")
        assert node.status(exit_4).diagnostics.endswith(
            "Last 4096 bytes of stderr :\nbad\n\n")
        done = [event for event in node.events.events
                if isinstance(event, NMContainerStateChanged) and event.to_state is S.DONE]
        assert sorted(event.exit_code for event in done) == sorted(codes.values())

    @inlineCallbacks
    def test_command_not_found(self):
        """A command that does not exist exits with 127, bash's "command not found" in the
        diagnostics."""
        node = self.node()
        container_id = node.start("$JAVA_HOME/bin/java -Xmx64m org.example.Main")
        yield self.wait_for(lambda: node.done(container_id))
        status = node.status(container_id)
        assert status.exit_status == 127
        assert "/opt/jdk/bin/java: No such file or directory" in status.diagnostics
        other = node.start("no-such-program --flag")
        yield self.wait_for(lambda: node.done(other))
        assert node.status(other).exit_status == 127
        assert "no-such-program: command not found" in node.status(other).diagnostics

    @inlineCallbacks
    def test_stop_terminates_the_whole_group(self):
        """Stopping a container sends SIGTERM to its whole process group, a background
        grandchild included: the process exits with 143 and the container is KILLED_BY_APPMASTER."""
        node = self.node()
        container_id = node.start("sleep 100 & echo $! > grandchild.pid; sleep 100")
        pid_file = node.working_file(container_id, "grandchild.pid")
        yield self.wait_for(lambda: os.path.exists(pid_file) and os.path.getsize(pid_file))
        with open(pid_file) as stream:
            grandchild = int(stream.read())
        assert alive(grandchild)
        node.nm.stop_containers([container_id])
        yield self.wait_for(lambda: node.done(container_id) and not alive(grandchild))
        status = node.status(container_id)
        assert status.exit_status == ContainerExitStatus.KILLED_BY_APPMASTER
        assert "Container killed on request. Exit code is 143" in status.diagnostics

    @inlineCallbacks
    def test_sigkill_after_the_kill_delay(self):
        """A group that ignores SIGTERM gets SIGKILL after the kill delay: exit code 137."""
        node = self.node()
        container_id = node.start("trap '' TERM; touch ready; sleep 100")
        yield self.wait_for(lambda: os.path.exists(node.working_file(container_id, "ready")))
        stopped_at = reactor.seconds()
        node.nm.stop_containers([container_id])
        yield self.wait_for(lambda: node.done(container_id))
        assert reactor.seconds() - stopped_at >= KILL_DELAY_MS / 1000
        assert "Container killed on request. Exit code is 137" in node.status(
            container_id).diagnostics

    @inlineCallbacks
    def test_kill_is_immediate(self):
        """A process killed outright (``kill -9``) exits with 137 and the container fails."""
        node = self.node()
        container_id = node.start("sleep 100")
        yield self.wait_for(lambda: node.container(container_id).running is not None)
        node.nm.kill_container_process(container_id)
        yield self.wait_for(lambda: node.done(container_id))
        assert node.status(container_id).exit_status == 137
        assert node.states(container_id)[-2:] == [S.EXITED_WITH_FAILURE, S.DONE]

    @inlineCallbacks
    def test_leftovers_are_stopped_when_the_command_exits(self):
        """Processes a command leaves in the background are stopped when it exits."""
        node = self.node()
        container_id = node.start("sleep 100 & echo $! > grandchild.pid")
        yield self.wait_for(lambda: node.done(container_id))
        assert node.status(container_id).exit_status == 0
        with open(node.working_file(container_id, "grandchild.pid")) as stream:
            grandchild = int(stream.read())
        yield self.wait_for(lambda: not alive(grandchild))

    @inlineCallbacks
    def test_node_failure_kills_without_report(self):
        """A node that dies takes its processes with it, and reports nothing about them."""
        node = self.node()
        container_id = node.start("echo $$ > leader.pid; exec sleep 100")
        pid_file = node.working_file(container_id, "leader.pid")
        yield self.wait_for(lambda: os.path.exists(pid_file) and os.path.getsize(pid_file))
        with open(pid_file) as stream:
            leader = int(stream.read())
        running = node.container(container_id).running
        verifyObject(IRunningContainer, running)
        node.nm.fail()
        assert not running.alive
        yield self.wait_for(lambda: not alive(leader))
        yield deferLater(reactor, 0.05, lambda: None)
        assert node.states(container_id)[-1] is S.RUNNING

    @inlineCallbacks
    def test_shutdown_kills_every_group(self):
        """The executor's shutdown stops every group it started and fires when they are gone;
        launches after it fail."""
        node = self.node()
        first = node.start("sleep 100 & echo $! > grandchild.pid; sleep 100")
        second = node.start("trap '' TERM; echo $$ > leader.pid; sleep 100")
        grandchild_file = node.working_file(first, "grandchild.pid")
        leader_file = node.working_file(second, "leader.pid")
        yield self.wait_for(lambda: all(os.path.exists(f) and os.path.getsize(f)
                                        for f in (grandchild_file, leader_file)))
        pids = []
        for path in (grandchild_file, leader_file):
            with open(path) as stream:
                pids.append(int(stream.read()))
        yield node.executor.shutdown()
        assert node.executor.running == 0
        assert not any(alive(pid) for pid in pids)
        yield self.wait_for(lambda: node.done(first) and node.done(second))
        assert node.status(first).exit_status == 143
        assert node.status(second).exit_status == 137
        late = node.start("touch ran")
        yield self.wait_for(lambda: node.done(late))
        assert node.status(late).exit_status == LAUNCH_FAILED
        assert not os.path.exists(node.working_file(late, "ran"))


class ClusterTests(ProcessTestCase):
    @inlineCallbacks
    def test_application_master_exit_code_reaches_the_resource_manager(self):
        """In a YarnCluster with a process executor, an ApplicationMaster that exits with 3
        fails its attempts with that exit code, and the application fails."""
        clock = VirtualClock(DEFAULT_EPOCH)
        executor = ProcessContainerExecutor(reactor, kill_delay_ms=KILL_DELAY_MS)
        cluster = YarnCluster(clock, self.directory, [NodeGroup(1)], executor=executor)
        self.addCleanup(executor.shutdown)
        self.addCleanup(cluster.stop)
        cluster.start()
        clock.advance(1)
        client = cluster.rm.client_service
        application_id = client.get_new_application().application_id
        client.submit_application(ApplicationSubmissionContext(
            application_id=application_id, resource=Resource(1024, 1),
            am_container_spec=ContainerLaunchContext(commands=["echo no luck >&2; exit 3"]),
        ), "alice")

        def finished():
            clock.advance(0.5)
            return cluster.rm.apps[application_id].state is RMAppState.FAILED

        yield self.wait_for(finished)
        done = [event for event in cluster.events.events
                if isinstance(event, NMContainerStateChanged) and event.to_state is S.DONE]
        assert [event.exit_code for event in done] == [3, 3]
        diagnostics = cluster.rm.apps[application_id].diagnostics
        assert "Exit code: 3" in diagnostics
        assert "no luck" in diagnostics


def test_in_process_mode_refuses_local_files(tmp_path):
    """The in-process executor's NodeManagers keep refusing ``file:`` resources."""
    from tests.yarnemu.test_nodemanager_container import Node

    node = Node(tmp_path)
    node.nm.start()
    local = tmp_path / "app.jar"
    local.write_bytes(b"jar")
    assert not node.nm.localizer.local_files
    container_id = node.start("record 0", local_resources={"app.jar": local_resource(local)})
    node.clock.advance(0)
    assert node.container(container_id).status().diagnostics == (
        f"Resource file:{local} is not on the cluster file system (yarnemu localizes from its "
        "fake HDFS only)")



class InstantExitReactor(Clock):
    """A reactor whose processes have exited and been reaped before ``spawnProcess`` returns."""

    def spawnProcess(self, protocol, executable, args, env, path, childFDs):
        transport = type("Reaped", (), {"pid": None})()
        protocol.makeConnection(transport)
        protocol.processEnded(Failure(ProcessDone(0)))
        return transport


def test_an_exit_during_spawn_is_reported_after_launch_returns(tmp_path):
    """A process that ends before ``spawnProcess`` returns is reported on the next turn, once
    ``launch`` has returned, as every exit is."""
    clock = InstantExitReactor()
    executor = ProcessContainerExecutor(clock, environ={})
    exits = []
    running = executor.launch(ContainerLaunch(
        "container_1", NODE, "alice", ("true",), {}, str(tmp_path), str(tmp_path),
        lambda code, diagnostics: exits.append((code, diagnostics))))
    assert (exits, running.alive, executor.running) == ([], False, 0)
    clock.advance(0)
    assert exits == [(0, "")]
