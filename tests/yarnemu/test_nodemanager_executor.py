"""Tests for :mod:`yarnemu.nodemanager.executor`."""

import os

import pytest
from zope.interface.verify import verifyObject

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.nodemanager.executor import (
    COMMAND_NOT_FOUND,
    ContainerLaunch,
    IContainerExecutor,
    IRunningContainer,
    InProcessContainerExecutor,
)
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.records.exit_status import ProcessExitCode
from yarnemu.records.ids import ContainerId, NodeId

KILL_DELAY_MS = 250


class Recorder(ContainerProgram):
    """Records its context; exits with the code in its first argument (if any)."""

    contexts = []

    def start(self):
        Recorder.contexts.append(self.context)
        if self.context.args:
            self.context.exit(int(self.context.args[0]), "recorded")


class Crasher(ContainerProgram):
    def start(self):
        raise RuntimeError("boom at start")


class LateCrasher(ContainerProgram):
    def start(self):
        self.context.clock.callLater(5, self.explode)

    def explode(self):
        raise KeyError("late boom")


class Ticker(ContainerProgram):
    """Ticks every second until stopped; exits with 7 on SIGTERM."""

    ticks = []

    def start(self):
        self.context.clock.callLater(1, self.tick)

    def tick(self):
        Ticker.ticks.append(self.context.clock.seconds())
        self.context.clock.callLater(1, self.tick)

    def terminate(self):
        self.context.exit(7, "shutting down")


class Stubborn(Ticker):
    """Ignores SIGTERM."""

    def terminate(self):
        pass


class BadTerminate(Ticker):
    def terminate(self):
        raise ValueError("cannot stop")


class Writer(ContainerProgram):
    def start(self):
        self.context.write_stdout("out line\n")
        self.context.write_stderr("err line\n")
        self.context.exit(0)


class ExitThenRaise(ContainerProgram):
    def start(self):
        self.context.exit(0)
        raise RuntimeError("after exit")


@pytest.fixture(autouse=True)
def reset_programs():
    Recorder.contexts = []
    Ticker.ticks = []


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


@pytest.fixture
def executor(clock):
    registry = ProgramRegistry({
        "recorder": Recorder, "crasher": Crasher, "late-crasher": LateCrasher,
        "ticker": Ticker, "stubborn": Stubborn, "bad-terminate": BadTerminate,
        "writer": Writer, "exit-then-raise": ExitThenRaise,
    })
    return InProcessContainerExecutor(clock, registry, endpoints="the endpoints",
                                      kill_delay_ms=KILL_DELAY_MS)


class Launcher:
    """Launches commands in fresh working and log directories and records their exits."""

    def __init__(self, tmp_path, executor):
        self.tmp_path = tmp_path
        self.executor = executor
        self.exits = []
        self.number = 0

    def __call__(self, *commands, environment=None):
        self.number += 1
        self.working_dir = str(self.tmp_path / f"work{self.number}")
        self.log_dir = str(self.tmp_path / f"log{self.number}")
        os.makedirs(self.working_dir)
        os.makedirs(self.log_dir)
        return self.executor.launch(ContainerLaunch(
            container_id=ContainerId.parse(f"container_1767225600000_0001_01_{self.number:06d}"),
            node_id=NodeId("node-0", 45454),
            user="alice",
            commands=commands,
            environment=environment or {"PWD": self.working_dir},
            working_dir=self.working_dir,
            log_dir=self.log_dir,
            on_exit=lambda code, diagnostics: self.exits.append((code, diagnostics)),
        ))

    def read(self, *parts):
        with open(os.path.join(*parts), encoding="utf-8") as stream:
            return stream.read()


@pytest.fixture
def launch(tmp_path, executor):
    return Launcher(tmp_path, executor)


def test_interfaces(executor, launch):
    """The executor and what it returns provide their interfaces."""
    assert verifyObject(IContainerExecutor, executor)
    assert verifyObject(IRunningContainer, launch("recorder"))


def test_program_gets_its_context(clock, launch):
    """A program gets its arguments, environment, directories, ids, endpoints and a clock."""
    launch("recorder", environment={"A": "1", "PWD": "/somewhere"})
    (context,) = Recorder.contexts
    assert context.args == ()
    assert context.environment == {"A": "1", "PWD": "/somewhere"}
    assert context.working_dir == launch.working_dir
    assert context.log_dir == launch.log_dir
    assert str(context.container_id) == "container_1767225600000_0001_01_000001"
    assert context.node_id == NodeId("node-0", 45454)
    assert context.user == "alice"
    assert context.endpoints == "the endpoints"
    assert context.clock.seconds() == clock.seconds()


def test_exit_code_is_reported_asynchronously(clock, launch):
    """A program's exit code and diagnostics reach ``on_exit`` once, after the current call."""
    launch("recorder 3")
    assert launch.exits == []
    clock.advance(0)
    assert launch.exits == [(3, "recorded")]
    clock.advance(10)
    assert launch.exits == [(3, "recorded")]


def test_unknown_program_exits_127(clock, launch):
    """An unknown program ends the container with 127 and a "command not found" diagnostic."""
    launch("rm -rf /")
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == COMMAND_NOT_FOUND == 127
    assert "rm: command not found" in diagnostics
    assert "allow-listed" in diagnostics


def test_shell_syntax_exits_127(clock, launch):
    """A command line with shell operators ends the container with 127 and says why."""
    launch("recorder 0 ; rm -rf /")
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == 127
    assert "';' is not supported" in diagnostics
    assert Recorder.contexts == []


def test_redirection_only_command_exits_127(clock, launch):
    """A command line with only redirections ends the container with 127, not an error."""
    launch("1>out", "2>err")
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == 127
    assert "no command" in diagnostics


def test_crash_at_start_exits_1_with_traceback(clock, launch):
    """A program that raises when it starts exits 1, with its traceback in its stderr."""
    launch("crasher", "2>crash.err")
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == 1
    assert "RuntimeError('boom at start')" in diagnostics
    stderr = launch.read(launch.working_dir, "crash.err")
    assert "Traceback (most recent call last)" in stderr
    assert "RuntimeError: boom at start" in stderr


def test_crash_in_a_timer_exits_1(clock, launch):
    """A program that raises in a call it scheduled exits 1; the clock's driver is unharmed."""
    launch("late-crasher")
    clock.advance(5)
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == 1
    assert "KeyError('late boom')" in diagnostics
    assert "KeyError: 'late boom'" in launch.read(launch.log_dir, "stderr")


def test_code_after_exit_cannot_crash(clock, launch):
    """A program that raises after calling exit has exited with its code."""
    launch("exit-then-raise")
    clock.advance(0)
    assert launch.exits == [(0, "")]
    assert not os.path.exists(os.path.join(launch.log_dir, "stderr"))


def test_terminate_reports_the_program_exit_code(clock, launch):
    """A program that handles SIGTERM exits with its own code, and no kill follows."""
    running = launch("ticker")
    clock.advance(2.5)
    running.terminate()
    clock.advance(0)
    assert launch.exits == [(7, "shutting down")]
    clock.advance(1)
    assert launch.exits == [(7, "shutting down")]


def test_default_terminate_exits_143(clock, launch):
    """The base program class exits 143 on SIGTERM, as a JVM does."""
    running = launch("recorder")
    running.terminate()
    clock.advance(0)
    assert launch.exits == [(ProcessExitCode.TERMINATED, "Terminated")]


def test_ignoring_sigterm_is_killed_after_the_delay(clock, launch):
    """A program that ignores SIGTERM is killed with 137 after the SIGKILL delay."""
    running = launch("stubborn")
    clock.advance(1)
    running.terminate()
    clock.advance(KILL_DELAY_MS / 1000.0 - 0.001)
    assert launch.exits == []
    clock.advance(0.001)
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == ProcessExitCode.FORCE_KILLED == 137


def test_killed_program_timers_never_fire(clock, launch):
    """Once a program is killed, its timers never fire again."""
    running = launch("stubborn")
    clock.advance(2)
    running.terminate()
    clock.advance(1)
    ticks = list(Ticker.ticks)
    clock.advance(60)
    assert Ticker.ticks == ticks
    assert len(launch.exits) == 1


def test_exited_program_timers_never_fire(clock, launch):
    """Once a program exits, its timers never fire again."""
    running = launch("ticker")
    clock.advance(3)
    running.terminate()
    assert Ticker.ticks == [DEFAULT_EPOCH + 1, DEFAULT_EPOCH + 2, DEFAULT_EPOCH + 3]
    clock.advance(60)
    assert len(Ticker.ticks) == 3
    assert clock.pending() == 0


def test_terminate_twice_kills_once(clock, launch):
    """A second SIGTERM adds no second kill."""
    running = launch("stubborn")
    running.terminate()
    running.terminate()
    clock.advance(1)
    assert [code for code, _ in launch.exits] == [137]
    assert clock.pending() == 0


def test_terminate_that_raises_exits_1(clock, launch):
    """A program whose SIGTERM handler raises exits 1."""
    running = launch("bad-terminate")
    running.terminate()
    clock.advance(1)
    ((code, diagnostics),) = launch.exits
    assert code == 1
    assert "ValueError('cannot stop')" in diagnostics


def test_terminate_after_exit_does_nothing(clock, launch):
    """Terminating a program that already exited changes nothing."""
    running = launch("recorder 0")
    clock.advance(0)
    running.terminate()
    clock.advance(1)
    assert launch.exits == [(0, "recorded")]


def test_abandon_never_reports(clock, launch):
    """An abandoned program (its node died) stops at once and its exit is never reported."""
    running = launch("stubborn")
    clock.advance(1.5)
    running.terminate()
    running.abandon()
    clock.advance(60)
    assert launch.exits == []
    assert Ticker.ticks == [DEFAULT_EPOCH + 1]
    assert clock.pending() == 0


def test_output_goes_to_the_log_dir_by_default(clock, launch):
    """Without redirection, output goes to ``stdout`` and ``stderr`` in the log directory."""
    launch("writer")
    assert launch.read(launch.log_dir, "stdout") == "out line\n"
    assert launch.read(launch.log_dir, "stderr") == "err line\n"


def test_output_redirection_to_log_dir(clock, launch):
    """``1><LOG_DIR>/…`` and ``2><LOG_DIR>/…`` name the files output goes to."""
    launch("writer 1><LOG_DIR>/writer.out 2><LOG_DIR>/writer.err")
    assert launch.read(launch.log_dir, "writer.out") == "out line\n"
    assert launch.read(launch.log_dir, "writer.err") == "err line\n"
    assert not os.path.exists(os.path.join(launch.log_dir, "stdout"))


def test_relative_redirection_is_in_the_working_dir(clock, launch):
    """A relative redirection target is in the working directory, and ``2>&1`` shares it."""
    launch("writer 1>out/both.txt 2>&1")
    assert launch.read(launch.working_dir, "out", "both.txt") == "out line\nerr line\n"


def test_dev_null_discards_output(clock, launch):
    """Output redirected to ``/dev/null`` is discarded."""
    launch("writer 1>/dev/null 2>/dev/null")
    clock.advance(0)
    assert launch.exits == [(0, "")]
    assert os.listdir(launch.log_dir) == []
    assert os.listdir(launch.working_dir) == []


@pytest.mark.parametrize("target", ["{outside}/absolute.txt", "../escape.txt", "<LOG_DIR>/../x"])
def test_redirection_outside_the_container_is_refused(clock, launch, tmp_path, target):
    """Output may not be redirected outside the container's working and log directories."""
    launch(f"writer 1>{target.format(outside=tmp_path)}")
    clock.advance(0)
    ((code, diagnostics),) = launch.exits
    assert code == 127
    assert "working or log directory" in diagnostics
    assert sorted(os.listdir(tmp_path)) == ["log1", "work1"]


def test_redirection_through_a_link_out_of_the_container_is_refused(clock, launch, tmp_path):
    """A redirection through a symbolic link leading out of the working directory is refused."""
    outside = tmp_path / "shared.jar"
    outside.write_text("cached")
    launch("recorder")
    os.symlink(outside, os.path.join(launch.working_dir, "lib.jar"))
    launch.executor.launch(ContainerLaunch(
        container_id=ContainerId.parse("container_1767225600000_0001_01_000099"),
        node_id=NodeId("node-0", 45454), user="alice", commands=("writer 1>lib.jar",),
        environment={}, working_dir=launch.working_dir, log_dir=launch.log_dir,
        on_exit=lambda code, diagnostics: launch.exits.append((code, diagnostics)),
    ))
    clock.advance(0)
    assert [code for code, _ in launch.exits] == [127]
    assert outside.read_text() == "cached"
