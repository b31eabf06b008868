"""Tests for :mod:`yarnemu.programs.coreutils` and the built-in program registry."""

import math
import os

import pytest

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.nodemanager.executor import ContainerLaunch, InProcessContainerExecutor
from yarnemu.programs import DISTRIBUTED_SHELL_AM, builtin_programs
from yarnemu.programs.coreutils import parse_interval
from yarnemu.records.ids import ContainerId, NodeId


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


class Run:
    """Runs a command in a fresh container on the built-in programs and records how it ended."""

    def __init__(self, clock, tmp_path):
        self.clock = clock
        self.tmp_path = tmp_path
        self.executor = InProcessContainerExecutor(clock, builtin_programs(), None)
        self.exits = []

    def __call__(self, command):
        self.log_dir = str(self.tmp_path / "log")
        os.makedirs(self.log_dir, exist_ok=True)
        self.started = self.clock.seconds()
        return self.executor.launch(ContainerLaunch(
            container_id=ContainerId.parse("container_1767225600000_0001_01_000002"),
            node_id=NodeId("node-0", 45454), user="alice", commands=(command,), environment={},
            working_dir=str(self.tmp_path), log_dir=self.log_dir,
            on_exit=lambda code, diagnostics: self.exits.append(
                (self.clock.seconds() - self.started, code, diagnostics)),
        ))

    def stderr(self):
        with open(os.path.join(self.log_dir, "stderr"), encoding="utf-8") as stream:
            return stream.read()


@pytest.fixture
def run(clock, tmp_path):
    return Run(clock, tmp_path)


@pytest.mark.parametrize("text, seconds", [
    ("30", 30), ("0", 0), ("1.5", 1.5), (".5", 0.5), ("2.", 2), ("+3", 3),
    ("10s", 10), ("1.5m", 90), ("2h", 7200), ("1d", 86400), ("0.5d", 43200),
    ("1e3", 1000), ("2.5E-1", 0.25), ("1e1m", 600),
])
def test_interval_syntax(text, seconds):
    """Intervals are numbers with an optional s, m, h or d suffix, as GNU sleep reads them."""
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["inf", "infinity", "INF", "Infinity", "infd"])
def test_infinite_interval(text):
    """``inf`` and ``infinity`` are infinite intervals."""
    assert math.isinf(parse_interval(text))


@pytest.mark.parametrize("text", ["", "abc", "-1", "1x", "1S", "1 s", "1ss", "s", "nan", "1,5"])
def test_invalid_interval_message(text):
    """Anything else is refused with GNU sleep's message."""
    with pytest.raises(ValueError) as caught:
        parse_interval(text)
    assert str(caught.value) == f"sleep: invalid time interval '{text}'"


def test_sleep_exits_0_after_its_interval(clock, run):
    """``sleep 30`` exits 0 thirty seconds after it starts."""
    run("sleep 30")
    clock.advance(29.999)
    assert run.exits == []
    clock.advance(0.001)
    assert run.exits == [(30, 0, "")]


def test_sleep_sums_its_arguments(clock, run):
    """``sleep 1m 30 .5s`` sleeps for the sum of its intervals."""
    run("sleep 1m 30 .5s")
    clock.run()
    assert run.exits == [(90.5, 0, "")]


def test_sleep_zero_exits_at_once(clock, run):
    """``sleep 0`` exits 0 without time passing."""
    run("sleep 0")
    clock.run()
    assert run.exits == [(0, 0, "")]


def test_sleep_infinity_runs_until_stopped(clock, run):
    """``sleep infinity`` never exits on its own; stopped, it exits 143."""
    running = run("sleep infinity")
    clock.advance(10 ** 6)
    assert run.exits == []
    running.terminate()
    clock.advance(0)
    assert [code for _, code, _ in run.exits] == [143]


def test_sleep_invalid_interval(clock, run):
    """An invalid interval makes sleep exit 1 at once with GNU sleep's messages on stderr."""
    run("sleep 5 soon later")
    clock.run()
    assert run.exits == [(0, 1, "sleep: invalid time interval 'soon'\n"
                                "sleep: invalid time interval 'later'")]
    assert run.stderr() == (
        "sleep: invalid time interval 'soon'\nsleep: invalid time interval 'later'\n"
        "Try 'sleep --help' for more information.\n"
    )


def test_sleep_missing_operand(clock, run):
    """``sleep`` alone exits 1 with "missing operand"."""
    run("sleep")
    clock.run()
    assert run.exits == [(0, 1, "sleep: missing operand")]
    assert run.stderr().startswith("sleep: missing operand\n")


def test_sleep_terminated_exits_143(clock, run):
    """A sleeping ``sleep`` stopped with SIGTERM exits 143 and its timer never fires."""
    running = run("sleep 100")
    clock.advance(10)
    running.terminate()
    clock.run()
    assert [(at, code) for at, code, _ in run.exits] == [(10, 143)]


@pytest.mark.parametrize("command, code", [("true", 0), ("true --ignored args", 0),
                                           ("false", 1), ("false x", 1)])
def test_true_and_false(clock, run, command, code):
    """``true`` exits 0 and ``false`` exits 1 at once, whatever their arguments."""
    run(command)
    clock.advance(0)
    assert run.exits == [(0, code, "")]


def test_builtin_programs():
    """The built-in registry holds sleep, true, false and DistributedShell's AM."""
    assert builtin_programs().names() == sorted(
        ["sleep", "true", "false", DISTRIBUTED_SHELL_AM])


def test_builtin_registries_are_independent():
    """Each call gives a new registry: registering in one leaves the others unchanged."""
    first = builtin_programs()
    first.register("extra", object)
    assert "extra" not in builtin_programs()
