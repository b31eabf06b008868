"""
:class:`CheckpointCoordinator`: periodic checkpoints of a running job, as Flink's coordinator takes
them — trigger every interval while every task runs (or has finished), complete when every
running task acknowledged, keep the latest ``state.checkpoints.num-retained``, restore the latest
on a restart.  A task that had finished when a checkpoint was triggered is recorded as finished
in it, with its final offset (FLIP-147), so that restoring does not run it again.
"""

from collections import deque

from flinkyarn.runtime.messages import CheckpointStats
from flinkyarn.states import ExecutionState

__all__ = ["CheckpointCoordinator"]


class _Pending:
    def __init__(self, checkpoint_id, timestamp, waiting, finished):
        self.checkpoint_id = checkpoint_id
        self.timestamp = timestamp
        self.waiting = set(waiting)
        self.offsets = {}
        self.finished = finished


class CheckpointCoordinator:
    """
    :param clock: the JobManager process's clock.
    :param int interval_ms: ``execution.checkpointing.interval``.
    :param int retained: ``state.checkpoints.num-retained``.
    :param trigger_task: ``(execution, checkpoint_id, timestamp)``, asks a task to checkpoint.
    :param on_completed: called with each :class:`CheckpointStats`.
    :param now_ms: ``() → int``.
    :param final_offset: ``(execution) → int``, the source offset a FINISHED execution ended at.

    :ivar completed: the retained :class:`CheckpointStats`, oldest first.
    :ivar counts: numbers of triggered, completed and failed (aborted) checkpoints.
    """

    def __init__(self, clock, interval_ms, retained, trigger_task, on_completed, now_ms,
                 final_offset=lambda execution: 0):
        self._clock = clock
        self.interval_ms = interval_ms
        self._trigger_task = trigger_task
        self._on_completed = on_completed
        self._now = now_ms
        self._final_offset = final_offset
        self._finished = {}
        self.completed = deque(maxlen=max(1, retained))
        self.counts = {"triggered": 0, "completed": 0, "failed": 0, "restored": 0}
        self.last_restored = None
        self._next_id = 1
        self._pending = None
        self._call = None
        self._executions = None

    @property
    def latest(self):
        return self.completed[-1] if self.completed else None

    def start(self, executions):
        """Trigger every interval from now on, over ``executions()`` (the current attempts)."""
        self._executions = executions
        if self._call is None:
            self._call = self._clock.callLater(self.interval_ms / 1000.0, self._tick)

    def stop(self):
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None
        self.abort_pending()

    def abort_pending(self):
        """A failover or cancellation: the checkpoint in progress will not complete."""
        if self._pending is not None:
            self._pending = None
            self.counts["failed"] += 1

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
            stats = CheckpointStats(pending.checkpoint_id, pending.timestamp, self._now(),
                                    {self._subtask_key(a): o for a, o in pending.offsets.items()})
            self.completed.append(stats)
            self._finished[stats.checkpoint_id] = pending.finished
            retained = {checkpoint.checkpoint_id for checkpoint in self.completed}
            self._finished = {cid: f for cid, f in self._finished.items() if cid in retained}
            self.counts["completed"] += 1
            self._on_completed(stats)

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
        checkpoint_id = self._next_id
        self._next_id += 1
        timestamp = self._now()
        finished = {self._subtask_key(e.attempt_id): self._final_offset(e)
                    for e in executions if e.state is ExecutionState.FINISHED}
        self._pending = _Pending(checkpoint_id, timestamp, [e.attempt_id for e in running],
                                 finished)
        self.counts["triggered"] += 1
        for execution in running:
            self._trigger_task(execution, checkpoint_id, timestamp)

    @staticmethod
    def _subtask_key(attempt_id):
        return (attempt_id.job_vertex_id, attempt_id.subtask_index)
