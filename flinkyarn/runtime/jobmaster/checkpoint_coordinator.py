"""
:class:`CheckpointCoordinator`: periodic checkpoints of a running job, as Flink's coordinator takes
them — trigger every interval while every task runs (or has finished), complete when every
running task acknowledged, keep the latest ``state.checkpoints.num-retained``, restore the latest
on a restart.  A task that had finished when a checkpoint was triggered is recorded as finished
in it, with its final offset (FLIP-147), so that restoring does not run it again.

Savepoints are checkpoints too (same ids, counts and statistics), triggered on request; the
synchronous savepoint of stop-with-savepoint stops the sources until it is confirmed or aborted
(tasks are told either way).  A savepoint is written to its location (directory and
``_metadata``) and is not used for recovery (FLINK-25191: only checkpoints are restored on a
failover).  Without an interval there are no periodic checkpoints, only savepoints.
"""

from collections import deque

from twisted.internet.defer import Deferred, fail

from flinkyarn.graph.errors import FlinkError
from flinkyarn.runtime.errors import CheckpointException
from flinkyarn.runtime.messages import CheckpointStats
from flinkyarn.states import ExecutionState

__all__ = ["CheckpointCoordinator", "NOT_ALL_TASKS_RUNNING", "IO_EXCEPTION", "COORDINATOR_SUSPEND",
           "JOB_FAILOVER_REGION", "FINALIZE_FAILURE"]

#: ``CheckpointFailureReason`` messages.
NOT_ALL_TASKS_RUNNING = "Not all required tasks are currently running."
IO_EXCEPTION = "An Exception occurred while triggering the checkpoint. IO-problem detected."
COORDINATOR_SUSPEND = "Checkpoint Coordinator is suspending."
JOB_FAILOVER_REGION = "FailoverRegion is restarting."
FINALIZE_FAILURE = "Failure to finalize checkpoint."

#: ``web.checkpoints.history``: savepoints kept for the statistics.
_SAVEPOINT_HISTORY = 10


class _Pending:
    def __init__(self, checkpoint_id, timestamp, executions, finished, savepoint=None):
        self.checkpoint_id = checkpoint_id
        self.timestamp = timestamp
        self.executions = list(executions)
        self.waiting = {e.attempt_id for e in executions}
        self.offsets = {}
        self.finished = finished
        self.savepoint = savepoint
        self.location = None
        self.finalize = None
        self.result = None


class CheckpointCoordinator:
    """
    :param clock: the JobManager process's clock.
    :param int interval_ms: ``execution.checkpointing.interval`` (``None``: savepoints only).
    :param int retained: ``state.checkpoints.num-retained``.
    :param trigger_task: ``(execution, checkpoint_id, timestamp)``, asks a task to checkpoint
        (with a fourth argument ``True`` for a synchronous savepoint).
    :param on_completed: called with each :class:`CheckpointStats`.
    :param now_ms: ``() → int``.
    :param final_offset: ``(execution) → int``, the source offset a FINISHED execution ended at.
    :param abort_task: ``(execution, checkpoint_id, timestamp)``, tells a task a synchronous
        savepoint it took part in was aborted.

    :ivar completed: the retained :class:`CheckpointStats`, oldest first.
    :ivar savepoints: the latest completed savepoints' :class:`CheckpointStats`, oldest first.
    :ivar counts: numbers of triggered, completed and failed (aborted) checkpoints, savepoints
        included.
    """

    def __init__(self, clock, interval_ms, retained, trigger_task, on_completed, now_ms,
                 final_offset=lambda execution: 0, abort_task=None):
        self._clock = clock
        self.interval_ms = interval_ms
        self._trigger_task = trigger_task
        self._on_completed = on_completed
        self._now = now_ms
        self._final_offset = final_offset
        self._abort_task = abort_task
        self._finished = {}
        self.completed = deque(maxlen=max(1, retained))
        self.savepoints = deque(maxlen=_SAVEPOINT_HISTORY)
        self.counts = {"triggered": 0, "completed": 0, "failed": 0, "restored": 0}
        self.last_restored = None
        self._next_id = 1
        self._pending = None
        self._call = None
        self._executions = None
        self._closed = False

    @property
    def latest(self):
        return self.completed[-1] if self.completed else None

    def start(self, executions):
        """Trigger every interval from now on, over ``executions()`` (the current attempts)."""
        self._executions = executions
        self.resume_periodic()

    def stop(self):
        """The job is over: no more checkpoints of any kind; the pending one is aborted."""
        self._closed = True
        self.stop_periodic()

    def stop_periodic(self, reason=COORDINATOR_SUSPEND):
        """``stopCheckpointScheduler``: no more periodic checkpoints; the pending one is aborted."""
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None
        self.abort_pending(reason)

    def resume_periodic(self):
        """``startCheckpointScheduler``: periodic checkpoints again, one interval from now."""
        if (self._call is None and self.interval_ms is not None and self._executions is not None
                and not self._closed):
            self._call = self._clock.callLater(self.interval_ms / 1000.0, self._tick)

    def abort_pending(self, reason=COORDINATOR_SUSPEND):
        """
        A failover or cancellation: the checkpoint in progress will not complete.  A savepoint's
        requester hears of it (a :class:`CheckpointException` with ``reason``), and so do the
        tasks a synchronous savepoint stopped.
        """
        pending = self._pending
        if pending is not None:
            self._pending = None
            self.counts["failed"] += 1
            if pending.savepoint is not None:
                if self._abort_task is not None:
                    for execution in pending.executions:
                        self._abort_task(execution, pending.checkpoint_id, pending.timestamp)
                pending.result.errback(CheckpointException(reason))

    def trigger_savepoint(self, savepoint, initialize_location, finalize):
        """
        Take a synchronous savepoint (stop-with-savepoint) now, of every running task.

        :param str savepoint: its type, e.g. ``"Suspend Savepoint"``.
        :param initialize_location: ``() → location``, creates its directory (once the tasks
            are known to run); may raise a ``FlinkError``.
        :param finalize: ``(location, CheckpointStats)``, writes its metadata once every task
            acknowledged; may raise a ``FlinkError``.
        :return: a Deferred firing with its :class:`CheckpointStats` (``external_path`` the
            location's pointer), or failing with :class:`CheckpointException`: not every task
            runs, the location or the metadata could not be written, or it was aborted.
        """
        executions = list(self._executions()) if self._executions is not None else []
        running = [e for e in executions if e.state is ExecutionState.RUNNING]
        if self._pending is not None:
            return fail(CheckpointException("Another checkpoint is in progress."))
        if not running or any(e.state not in (ExecutionState.RUNNING, ExecutionState.FINISHED)
                              for e in executions):
            return fail(CheckpointException(NOT_ALL_TASKS_RUNNING))
        try:
            location = initialize_location()
        except FlinkError as error:
            failure = CheckpointException(IO_EXCEPTION)
            failure.__cause__ = error
            return fail(failure)
        pending = self._trigger(running, executions, savepoint)
        pending.location = location
        pending.finalize = finalize
        pending.result = Deferred()
        return pending.result

    def acknowledge(self, attempt_id, checkpoint_id, offset):
        """A task finished its part of a checkpoint."""
        pending = self._pending
        if pending is None or pending.checkpoint_id != checkpoint_id:
            return
        if attempt_id not in pending.waiting:
            return
        pending.waiting.discard(attempt_id)
        pending.offsets[attempt_id] = offset
        if not pending.waiting:
            self._pending = None
            offsets = {self._subtask_key(a): o for a, o in pending.offsets.items()}
            if pending.savepoint is not None:
                self._complete_savepoint(pending, offsets)
                return
            stats = CheckpointStats(pending.checkpoint_id, pending.timestamp, self._now(),
                                    offsets)
            self.completed.append(stats)
            self._finished[stats.checkpoint_id] = pending.finished
            retained = {checkpoint.checkpoint_id for checkpoint in self.completed}
            self._finished = {cid: f for cid, f in self._finished.items() if cid in retained}
            self.counts["completed"] += 1
            self._on_completed(stats)

    def _complete_savepoint(self, pending, offsets):
        offsets = {**pending.finished, **offsets}
        stats = CheckpointStats(pending.checkpoint_id, pending.timestamp, self._now(), offsets,
                                savepoint=pending.savepoint,
                                external_path=pending.location.pointer)
        try:
            pending.finalize(pending.location, stats)
        except FlinkError as error:
            self.counts["failed"] += 1
            failure = CheckpointException(FINALIZE_FAILURE)
            failure.__cause__ = error
            if self._abort_task is not None:
                for execution in pending.executions:
                    self._abort_task(execution, pending.checkpoint_id, pending.timestamp)
            pending.result.errback(failure)
            return
        self.savepoints.append(stats)
        self.counts["completed"] += 1
        self._on_completed(stats)
        pending.result.callback(stats)

    def restore_offsets(self):
        """
        :return: the latest completed checkpoint's ``(job vertex id, subtask) → offset`` and its
            id, for a restart (``({}, None)`` when there is none).
        """
        latest = self.latest
        if latest is None:
            return {}, None
        self.counts["restored"] += 1
        self.last_restored = latest
        offsets = dict(self._finished.get(latest.checkpoint_id, {}))
        offsets.update(latest.offsets)
        return offsets, latest.checkpoint_id

    def _tick(self):
        self._call = self._clock.callLater(self.interval_ms / 1000.0, self._tick)
        if self._pending is not None:
            return
        executions = self._executions()
        running = [e for e in executions if e.state is ExecutionState.RUNNING]
        # As Flink, a checkpoint needs every task running (finished tasks are not checkpointed).
        if not running or any(e.state not in (ExecutionState.RUNNING, ExecutionState.FINISHED)
                              for e in executions):
            return
        self._trigger(running, executions)

    def _trigger(self, running, executions, savepoint=None):
        checkpoint_id = self._next_id
        self._next_id += 1
        timestamp = self._now()
        finished = {self._subtask_key(e.attempt_id): self._final_offset(e)
                    for e in executions if e.state is ExecutionState.FINISHED}
        pending = _Pending(checkpoint_id, timestamp, running, finished, savepoint)
        self._pending = pending
        self.counts["triggered"] += 1
        for execution in running:
            if savepoint is None:
                self._trigger_task(execution, checkpoint_id, timestamp)
            else:
                self._trigger_task(execution, checkpoint_id, timestamp, True)
        return pending

    @staticmethod
    def _subtask_key(attempt_id):
        return (attempt_id.job_vertex_id, attempt_id.subtask_index)
