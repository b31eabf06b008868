"""
:class:`StopWithSavepoint`: one stop-with-savepoint of a running job, as Flink's
``StopWithSavepointTerminationManager`` with its ``StopWithSavepointTerminationHandlerImpl``
runs it (Flink 1.15+ semantics: the job ends FINISHED).

1. Periodic checkpoints stop (the pending one is aborted), so that the savepoint is the last
   snapshot, and a synchronous savepoint is triggered: every running task snapshots, sources
   stop producing.
2. If the savepoint fails (not every task runs, its directory cannot be made, it is aborted by a
   failover or a cancellation), periodic checkpoints resume, the sources carry on, and the
   operation fails with the savepoint's ``CheckpointException``.
3. Once it completed (``_metadata`` written), the tasks are told; the sources finish, the tasks
   behind them finish as their input ends, and the job is FINISHED: the operation succeeds with
   the savepoint's location.  If the job ends otherwise (a task failed, it was cancelled), the
   operation fails with ``StopWithSavepointStoppingException``, which names the savepoint.
"""

from twisted.internet.defer import Deferred

from flinkyarn.runtime.errors import StopWithSavepointStoppingException
from flinkyarn.states import JobStatus

__all__ = ["StopWithSavepoint", "SUSPEND_SAVEPOINT", "TERMINATE_SAVEPOINT"]

#: ``SavepointType.suspend()`` and ``terminate()`` (``drain``): their names.
SUSPEND_SAVEPOINT = "Suspend Savepoint"
TERMINATE_SAVEPOINT = "Terminate Savepoint"


class StopWithSavepoint:
    """
    :param job_id: the job's id.
    :param coordinator: its
        :class:`~flinkyarn.runtime.jobmaster.checkpoint_coordinator.CheckpointCoordinator`.
    :param confirm: ``(CheckpointStats)``, tells the running tasks the savepoint completed.
    :param on_done: called with this operation once its result is known.

    :ivar result: a Deferred firing with the savepoint's location, or failing.
    :ivar location: the savepoint's location once it completed, else ``None``.
    """

    def __init__(self, job_id, coordinator, confirm, on_done):
        self.job_id = job_id
        self._coordinator = coordinator
        self._confirm = confirm
        self._on_done = on_done
        self.result = Deferred()
        self.location = None
        self.done = False

    def start(self, savepoint_type, initialize_location, finalize):
        """Stop periodic checkpoints and trigger the synchronous savepoint."""
        self._coordinator.stop_periodic()
        taken = self._coordinator.trigger_savepoint(savepoint_type, initialize_location,
                                                    finalize)
        taken.addCallbacks(self._savepoint_taken, self._savepoint_failed)

    def _savepoint_taken(self, stats):
        if self.done:
            return
        self.location = stats.external_path
        self._confirm(stats)

    def _savepoint_failed(self, failure):
        if self.done:
            return
        self._coordinator.resume_periodic()
        self._finish(failure.value)

    def job_terminated(self, status):
        """The job is globally terminal: FINISHED after the savepoint is success."""
        if self.done:
            return
        if self.location is not None and status is JobStatus.FINISHED:
            self._finish(None)
        elif self.location is not None:
            self._finish(self._stopping_failed(f"The job ended {status.value}."))
        # Before the savepoint completed, its abort (the coordinator stops) fails the operation.

    def job_failed_over(self, cause):
        """
        A task failed after the savepoint completed (before, the failover aborts the savepoint
        itself): the job restarts instead of finishing.
        """
        if self.done or self.location is None:
            return
        self._coordinator.resume_periodic()
        self._finish(self._stopping_failed(f"Inconsistent execution state after stopping with "
                                           f"savepoint: {cause}"))

    def _stopping_failed(self, reason):
        return StopWithSavepointStoppingException(
            f"A savepoint has been created at: {self.location}, but the corresponding job "
            f"{self.job_id} failed during stopping. The savepoint is consistent, but might have "
            f"uncommitted transactions. If you want to commit the transaction please restart a "
            f"job from this savepoint. {reason}")

    def _finish(self, error):
        self.done = True
        self._on_done(self)
        if error is None:
            self.result.callback(self.location)
        else:
            self.result.errback(error)
