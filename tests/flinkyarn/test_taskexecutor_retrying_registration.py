"""
Tests of :class:`~flinkyarn.runtime.taskexecutor.registration.RetryingRegistration`: attempt
timeouts that double up to the maximum, unreachable targets, errors, late answers.
"""

import pytest
from twisted.internet.defer import Deferred, fail, succeed

from flinkyarn.runtime.errors import RpcConnectionException
from flinkyarn.runtime.messages import RegistrationDecline, RegistrationSuccess
from flinkyarn.runtime.taskexecutor.registration import RetryingRegistration
from yarnemu.clock import VirtualClock


class Settings:
    initial_registration_timeout_ms = 100
    max_registration_timeout_ms = 1000
    registration_error_delay_ms = 5000


class Target:
    """Answers each registration call with the next of ``answers`` (a callable per call)."""

    def __init__(self, clock, answers):
        self.clock = clock
        self.answers = list(answers)
        self.calls = []

    def __call__(self):
        self.calls.append(round(self.clock.seconds() * 1000))
        answer = self.answers.pop(0) if self.answers else (lambda: Deferred())
        return answer()


@pytest.fixture
def clock():
    return VirtualClock(0)


def registration(clock, target, outcomes, log=None):
    return RetryingRegistration(
        clock, (lambda level, message: log.append((level, message))) if log is not None
        else (lambda level, message: None),
        "ResourceManager", "pekko.tcp://flink@host:1/user/rpc/resourcemanager_0", target,
        Settings(), outcomes.append, outcomes.append)


def test_unanswered_attempts_double_their_timeout_up_to_the_maximum(clock):
    """Attempts without an answer are retried after 100, 200, 400, 800, 1000, 1000 ms."""
    target = Target(clock, [])
    registration(clock, target, []).start()
    clock.advance(5)
    assert target.calls == [0, 100, 300, 700, 1500, 2500, 3500, 4500]


def test_an_unreachable_target_is_retried_when_the_attempt_times_out(clock):
    """A connection failure is no answer: the next attempt comes at the attempt's timeout."""
    unreachable = lambda: fail(RpcConnectionException("gone"))  # noqa: E731
    target = Target(clock, [unreachable, unreachable, lambda: succeed(
        RegistrationSuccess("id", "rm"))])
    outcomes = []
    registration(clock, target, outcomes).start()
    clock.advance(5)
    assert target.calls == [0, 100, 300]
    assert outcomes == [RegistrationSuccess("id", "rm")]


def test_an_error_pauses_before_starting_over(clock):
    """A target answering with an error is asked again after the error delay."""
    log = []
    target = Target(clock, [lambda: fail(ValueError("broken")), lambda: succeed(
        RegistrationDecline("no"))])
    outcomes = []
    registration(clock, target, outcomes, log).start()
    clock.advance(10)
    assert target.calls == [0, 5000]
    assert outcomes == [RegistrationDecline("no")]
    assert ("info", "Pausing and re-attempting registration in 5000 ms") in log


def test_a_late_answer_to_an_abandoned_attempt_is_ignored(clock):
    """An answer arriving after its attempt timed out does not count."""
    slow = Deferred()
    target = Target(clock, [lambda: slow])
    outcomes = []
    registration(clock, target, outcomes).start()
    clock.advance(0.15)
    slow.callback(RegistrationSuccess("late", "rm"))
    assert outcomes == []


def test_a_cancelled_registration_stops(clock):
    """After cancel, no more attempts are made and answers are ignored."""
    pending = Deferred()
    target = Target(clock, [lambda: pending])
    outcomes = []
    retrying = registration(clock, target, outcomes)
    retrying.start()
    retrying.cancel()
    pending.callback(RegistrationSuccess("id", "rm"))
    clock.advance(10)
    assert target.calls == [0] and outcomes == []
