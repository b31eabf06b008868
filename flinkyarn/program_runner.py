"""
:class:`ProgramRunner`: runs a user program's ``main(args)`` so that it may block — on
``env.execute()``, which waits for the job's result — while virtual time passes.

A Flink program is ordinary sequential code: it builds a pipeline, calls ``execute()``, and only
when that returns does it go on (perhaps to build and run another job).  The emulator is
event-driven on a virtual clock, where nothing may block.  The runner reconciles the two: ``main``
runs in a thread of its own that **strictly alternates** with the thread driving the clock.
When ``main`` calls :meth:`ProgramRunner.wait` with a Deferred, its thread parks and control
returns to the clock's thread, which goes on firing events; when the Deferred fires, the clock's
thread hands control back and parks until ``main`` waits again or returns.  Only one of the two
ever runs, so a run is as deterministic as single-threaded code.

The runner is installed as the program's context (a ``contextvars`` copy runs in its thread), so
``main`` finds the context execution environment the runtime installed.
"""

import contextvars
import threading

from twisted.internet.defer import Deferred

__all__ = ["ProgramRunner", "ProgramAbortedException", "current_runner"]

_CURRENT = contextvars.ContextVar("flinkyarn_program_runner", default=None)


class ProgramAbortedException(BaseException):
    """Raised inside ``main`` when the process running it ends (it is killed) while it waits."""


def current_runner():
    """:return: the :class:`ProgramRunner` whose ``main`` is calling, or ``None``."""
    return _CURRENT.get()


class ProgramRunner:
    """
    :param main: the program's entry point, called with ``args``.
    :param args: its arguments (a list of strings).
    :param context: a ``contextvars.Context`` to run ``main`` in (default: a copy of the
        caller's), e.g. with the context execution environment installed.
    """

    def __init__(self, main, args, context=None):
        self._main = main
        self._args = list(args)
        self._context = context if context is not None else contextvars.copy_context()
        self._to_program = threading.Semaphore(0)
        self._to_driver = threading.Semaphore(0)
        self._thread = None
        self._waiting_on = None
        self._resume_with = None
        self._aborted = False
        self.finished = False
        self.result = Deferred()

    def start(self):
        """
        Run ``main`` until it first waits or returns.

        :return: a Deferred firing with ``main``'s return value, or failing with its exception.
        """
        self._thread = threading.Thread(target=self._context.run, args=(self._run,),
                                        name="flinkyarn-program", daemon=True)
        self._thread.start()
        self._to_driver.acquire()
        self._after_program_step()
        return self.result

    def wait(self, deferred):
        """
        From inside ``main``: block until ``deferred`` fires, letting virtual time pass.

        :return: its result.
        :raise: its failure's exception, or :class:`ProgramAbortedException` if the process ends
            meanwhile.
        """
        if threading.current_thread() is not self._thread:
            raise RuntimeError("ProgramRunner.wait is for the program's own thread")
        self._waiting_on = deferred
        self._to_driver.release()
        self._to_program.acquire()
        ok, value = self._resume_with
        self._resume_with = None
        if self._aborted:
            raise ProgramAbortedException("The program's process ended")
        if ok:
            return value
        value.raiseException()

    def abort(self):
        """
        The process running the program ends: a ``main`` parked in :meth:`wait` gets
        :class:`ProgramAbortedException` and is left to unwind; the result never fires.
        """
        if self.finished or self._aborted:
            return
        self._aborted = True
        if self._waiting_on is not None:
            self._waiting_on = None
            self._resume_with = (True, None)
            self._to_program.release()
            self._to_driver.acquire()

    # The program's thread

    def _run(self):
        _CURRENT.set(self)
        try:
            outcome = (True, self._main(self._args))
        except ProgramAbortedException:
            outcome = None
        except BaseException as error:  # noqa: B902 - the program's failure, reported as a result
            outcome = (False, error)
        self._outcome = outcome
        self.finished = True
        self._to_driver.release()

    # The clock's thread

    def _after_program_step(self):
        if self.finished:
            outcome = self._outcome
            if outcome is not None and not self._aborted:
                ok, value = outcome
                if ok:
                    self.result.callback(value)
                else:
                    self.result.errback(value)
            return
        deferred = self._waiting_on
        deferred.addCallbacks(self._resume, self._resume_failed)

    def _resume(self, value):
        self._hand_over((True, value))
        return value

    def _resume_failed(self, failure):
        self._hand_over((False, failure))

    def _hand_over(self, resume_with):
        if self._aborted or self.finished:
            return
        self._waiting_on = None
        self._resume_with = resume_with
        self._to_program.release()
        self._to_driver.acquire()
        self._after_program_step()
