"""
Tests for :mod:`flinkyarn.program_runner`: a program's ``main`` blocking while virtual time passes.
"""

import contextvars

from twisted.internet.task import deferLater

from flinkyarn.program_runner import ProgramRunner, current_runner
from yarnemu.clock import VirtualClock


def test_main_waits_for_deferreds_in_virtual_time():
    """``wait`` returns each Deferred's result once virtual time reaches it."""
    clock = VirtualClock()
    seen = []

    def main(args):
        for value in args:
            seen.append((current_runner().wait(deferLater(clock, 5, lambda v=value: v)),
                         clock.seconds()))
        return "done"

    results = []
    ProgramRunner(main, ["a", "b"]).start().addBoth(results.append)
    assert seen == []
    clock.run()
    assert seen == [("a", 5.0), ("b", 10.0)] and results == ["done"]


def test_failures_are_raised_in_main_and_main_failing_fails_the_result():
    """A failed Deferred raises inside ``main``; an exception out of ``main`` fails the result."""
    clock = VirtualClock()

    def main(args):
        try:
            current_runner().wait(deferLater(clock, 1, lambda: 1 / 0))
        except ZeroDivisionError:
            raise KeyError("after")

    results = []
    ProgramRunner(main, []).start().addBoth(results.append)
    clock.run()
    assert results[0].check(KeyError)


def test_abort_unwinds_a_waiting_main_and_never_fires_the_result():
    """Aborting while ``main`` waits ends its thread; the result never fires."""
    clock = VirtualClock()
    reached = []

    def main(args):
        current_runner().wait(deferLater(clock, 100, lambda: None))
        reached.append(True)

    runner = ProgramRunner(main, [])
    results = []
    runner.start().addBoth(results.append)
    clock.advance(1)
    runner.abort()
    clock.run()
    assert reached == [] and results == [] and not runner._thread.is_alive()


def test_main_runs_in_the_given_context():
    """``main`` sees context variables set in the context it was given."""
    variable = contextvars.ContextVar("v")
    context = contextvars.copy_context()
    context.run(variable.set, 42)
    results = []
    ProgramRunner(lambda args: variable.get(), [], context).start().addBoth(results.append)
    assert results == [42]


def test_two_runs_interleave_deterministically():
    """Two programs waiting on the same clock interleave the same way every run."""

    def run_once():
        clock = VirtualClock()
        log = []

        def program(name, step):
            def main(args):
                for i in range(3):
                    current_runner().wait(deferLater(clock, step, lambda: None))
                    log.append((name, i, clock.seconds()))
            return main

        ProgramRunner(program("a", 2), []).start()
        ProgramRunner(program("b", 3), []).start()
        clock.run()
        return log

    assert run_once() == run_once()
