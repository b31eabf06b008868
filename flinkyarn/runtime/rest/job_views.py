"""
The REST API's views of jobs, built from the JobMasters' live state, in the shapes of Flink's REST
API: ``JobDetails`` (``/jobs/overview``), ``JobDetailsInfo`` (``/jobs/{id}``), the job result,
exceptions, checkpoints and configuration.
"""

from flinkyarn.graph.json_plan import job_plan
from flinkyarn.states import ExecutionState, JobStatus

__all__ = [
    "job_details",
    "job_details_info",
    "job_execution_result",
    "job_exceptions",
    "job_checkpoints",
    "job_config",
    "job_metrics",
    "stats_summary",
    "MAX_EXCEPTIONS",
]

_NOT_STARTED = -1


def _times(master, now):
    graph = master.graph
    status = master.status
    start = graph.state_timestamp(JobStatus.INITIALIZING) if graph else now
    end = graph.state_timestamp(status) if status.is_globally_terminal else _NOT_STARTED
    duration = (end if end != _NOT_STARTED else now) - start
    return start, end, duration


def _task_counts(master):
    counts = {state.value: 0 for state in ExecutionState}
    if master.graph is not None:
        for state, count in master.graph.task_counts().items():
            counts[state.value] = count
    return counts


def _last_modification(master, start, end):
    """
    ``JobDetails.createDetailsForJob``: the latest state change of any task's current attempt,
    or the job's end if later (its start while the job has no ExecutionGraph yet).
    """
    if master.graph is None:
        return start
    latest = max((vertex.current_execution.state_timestamp(vertex.execution_state)
                  for vertex in master.graph.execution_vertices()), default=0)
    return max(latest, end)


def job_details(master, now):
    """:return: a ``JobDetails`` (one entry of ``/jobs/overview``)."""
    start, end, duration = _times(master, now)
    return {
        "jid": str(master.job_id),
        "name": master.job_name,
        "state": master.status.value,
        "start-time": start,
        "end-time": end,
        "duration": duration,
        "last-modification": _last_modification(master, start, end),
        "tasks": {**{"total": sum(_task_counts(master).values())},
                  **{state.lower(): count for state, count in _task_counts(master).items()}},
    }


def job_details_info(master, now):
    """:return: a ``JobDetailsInfo`` (``/jobs/{id}``)."""
    start, end, duration = _times(master, now)
    graph = master.graph
    vertices = []
    for vertex in graph.vertices if graph else ():
        timing = vertex.timing(now)
        counts = {state.value: count for state, count in vertex.task_counts().items()}
        vertices.append({
            "id": str(vertex.id),
            "name": vertex.name,
            "maxParallelism": vertex.max_parallelism,
            "parallelism": vertex.parallelism,
            "status": vertex.aggregate_state().value,
            "start-time": timing.start_time,
            "end-time": timing.end_time,
            "duration": timing.duration,
            "tasks": counts,
            "metrics": _io_metrics(vertex),
        })
    status_counts = {state.value: 0 for state in ExecutionState}
    for vertex in graph.vertices if graph else ():
        status_counts[vertex.aggregate_state().value] += 1
    return {
        "jid": str(master.job_id),
        "name": master.job_name,
        "isStoppable": False,
        "state": master.status.value,
        "start-time": start,
        "end-time": end,
        "duration": duration,
        "maxParallelism": max((v.max_parallelism for v in graph.vertices), default=-1) if graph else -1,
        "now": now,
        "timestamps": {status.value: ts for status, ts in graph.state_timestamps().items()} if graph
        else {status.value: 0 for status in JobStatus},
        "vertices": vertices,
        "status-counts": status_counts,
        "plan": job_plan(master.job_graph),
    }


def _io_metrics(vertex):
    records = sum(getattr(task.current_execution, "records_out", 0) for task in vertex.task_vertices)
    return {
        "read-bytes": 0, "read-bytes-complete": True, "write-bytes": 0,
        "write-bytes-complete": True, "read-records": 0, "read-records-complete": True,
        "write-records": records, "write-records-complete": True,
        "accumulated-backpressured-time": 0, "accumulated-idle-time": 0,
        "accumulated-busy-time": 0.0,
    }


def job_execution_result(master):
    """:return: a ``JobExecutionResultResponseBody`` (``/jobs/{id}/execution-result``)."""
    if not master.status.is_globally_terminal:
        return {"status": {"id": "IN_PROGRESS"}}
    result = master.job_result()
    body = {
        "jobId": str(result.job_id),
        "applicationStatus": result.application_status.value,
        "accumulatorResults": {},
        "netRuntime": result.net_runtime_ms,
    }
    if result.error is not None:
        body["serializedThrowable"] = {"serialized-throwable": str(result.error)}
    body["success"] = result.success
    return {"status": {"id": "COMPLETED"}, "job-execution-result": body}


MAX_EXCEPTIONS = 20
"""``JobExceptionsHandler.MAX_NUMBER_EXCEPTION_TO_REPORT``: ``maxExceptions`` when not given."""

_UNASSIGNED = "(unassigned)"


def job_exceptions(master, max_exceptions=None):
    """
    :return: a ``JobExceptionsInfoWithHistory`` (``/jobs/{id}/exceptions``) as
        ``JobExceptionsHandler`` builds it: the exception history newest first, at most
        ``max_exceptions`` entries (:data:`MAX_EXCEPTIONS` by default, ``truncated`` when there
        were more); once the job has failed at all, the root exception and the failures of the
        subtasks' current attempts (``all-exceptions``, deprecated) as well.
    """
    limit = MAX_EXCEPTIONS if max_exceptions is None else int(max_exceptions)
    history = [_root_exception_info(record) for record in reversed(master.failures)]
    shown = history[:limit]
    exception_history = {"entries": shown, "truncated": len(shown) < len(history)}
    root = master.root_failure
    latest = master.failures[-1] if master.failures else None
    if root is None and latest is None:
        return {"root-exception": None, "timestamp": None, "all-exceptions": [],
                "truncated": False, "exceptionHistory": exception_history}
    task_exceptions, truncated = _task_exceptions(master, limit)
    return {
        "root-exception": str(root) if root is not None else str(latest.error),
        "timestamp": latest.timestamp if latest is not None
        else master.graph.state_timestamp(master.status),
        "all-exceptions": task_exceptions,
        "truncated": truncated,
        "exceptionHistory": exception_history,
    }


def _root_exception_info(record):
    """A ``RootExceptionInfo``; ``taskName``, ``location`` and ``taskManagerId`` are left out
    when unknown (``@JsonInclude(NON_NULL)``)."""
    info = {
        "exceptionName": getattr(record.error, "exception_class", type(record.error).__name__),
        "stacktrace": str(record.error),
        "timestamp": record.timestamp,
        "taskName": record.task_name,
        "location": record.location,
        "taskManagerId": record.task_manager_id,
        "failureLabels": {},
        "concurrentExceptions": [],
    }
    return {key: value for key, value in info.items() if value is not None}


def _task_exceptions(master, limit):
    """:return: ``(ExecutionExceptionInfo of each failed current attempt, truncated)``."""
    found = []
    for vertex in master.graph.execution_vertices() if master.graph else ():
        execution = vertex.current_execution
        if execution.failure is None:
            continue
        if len(found) >= limit:
            return found, True
        resource = execution.assigned_resource
        found.append({
            "exception": execution.failure.message,
            "task": vertex.task_name_with_subtask_index,
            "location": master.task_manager_location(resource) or _UNASSIGNED,
            "timestamp": execution.failure.timestamp or -1,
            "taskManagerId": str(resource) if resource else _UNASSIGNED,
        })
    return found, False


_NOT_ADDRESSABLE = "<checkpoint-not-externally-addressable>"

_SUMMARY_FIELDS = ("checkpointed_size", "state_size", "end_to_end_duration",
                   "alignment_buffered", "processed_data", "persisted_data")


def job_checkpoints(master):
    """
    :return: a ``CheckpointingStatistics`` (``/jobs/{id}/checkpoints``): counts, a summary of
        the completed checkpoints and savepoints kept, the latest ones and the history, newest
        first.  A streaming job always has checkpoint statistics, all zero while checkpointing
        is off.  ``latest.completed`` is the latest checkpoint that is not a savepoint,
        ``latest.savepoint`` the latest savepoint (``CheckpointStatsHistory``).
    """
    coordinator = master.checkpoints
    counts = dict(coordinator.counts) if coordinator else {
        "triggered": 0, "completed": 0, "failed": 0, "restored": 0}
    completed = list(coordinator.completed) if coordinator else []
    savepoints = list(coordinator.savepoints) if coordinator else []
    kept = sorted(completed + savepoints, key=lambda stats: stats.checkpoint_id)
    history = [_completed_checkpoint(stats) for stats in reversed(kept)]
    restored = None
    if coordinator is not None and coordinator.last_restored is not None:
        restored = {"id": coordinator.last_restored.checkpoint_id, "restore_timestamp": 0,
                    "is_savepoint": False, "external_path": _NOT_ADDRESSABLE}
    in_progress = counts["triggered"] - counts["completed"] - counts["failed"]
    durations = [entry["end_to_end_duration"] for entry in history]
    summary = {name: stats_summary(durations if name == "end_to_end_duration"
                                    else [0] * len(history))
               for name in _SUMMARY_FIELDS}
    return {
        "counts": {"restored": counts["restored"], "total": counts["triggered"],
                   "in_progress": max(0, in_progress), "completed": counts["completed"],
                   "failed": counts["failed"]},
        "summary": summary,
        "latest": {"completed": _completed_checkpoint(completed[-1]) if completed else None,
                   "savepoint": _completed_checkpoint(savepoints[-1]) if savepoints else None,
                   "failed": None, "restored": restored},
        "history": history,
    }


def _completed_checkpoint(stats):
    """
    A ``CompletedCheckpointStatistics`` (no state is kept, so every size is 0); a savepoint of
    stop-with-savepoint is a ``SYNC_SAVEPOINT`` in the ``CANONICAL`` format at its location.
    """
    subtasks = len(stats.offsets)
    return {
        "className": "completed",
        "id": stats.checkpoint_id,
        "status": "COMPLETED",
        "is_savepoint": stats.is_savepoint,
        "savepointFormat": "CANONICAL" if stats.is_savepoint else None,
        "trigger_timestamp": stats.trigger_timestamp,
        "latest_ack_timestamp": stats.completion_timestamp,
        "checkpointed_size": 0,
        "state_size": 0,
        "end_to_end_duration": stats.completion_timestamp - stats.trigger_timestamp,
        "alignment_buffered": 0,
        "processed_data": 0,
        "persisted_data": 0,
        "num_subtasks": subtasks,
        "num_acknowledged_subtasks": subtasks,
        "checkpoint_type": "SYNC_SAVEPOINT" if stats.is_savepoint else "CHECKPOINT",
        "tasks": {},
        "external_path": stats.external_path if stats.is_savepoint else _NOT_ADDRESSABLE,
        "discarded": False,
    }


def stats_summary(values):
    """
    A ``StatsSummaryDto``: minimum, maximum, average (integer division, as ``StatsSummary``) and
    the quantiles commons-math's default ``Percentile`` gives.  With no value Flink has NaN
    quantiles; they are 0.0 here, which keeps the spec's number type.
    """
    if not values:
        return {"min": 0, "max": 0, "avg": 0, "p50": 0.0, "p90": 0.0, "p95": 0.0, "p99": 0.0,
                "p999": 0.0}
    ordered = sorted(values)
    return {
        "min": ordered[0],
        "max": ordered[-1],
        "avg": sum(ordered) // len(ordered),
        **{name: _percentile(ordered, quantile) for name, quantile in (
            ("p50", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p999", 99.9))},
    }


def _percentile(ordered, p):
    """commons-math ``Percentile`` (LEGACY estimation) of sorted ``ordered`` at ``p`` percent."""
    n = len(ordered)
    position = p * (n + 1) / 100.0
    if position < 1:
        return float(ordered[0])
    if position >= n:
        return float(ordered[-1])
    lower = int(position)
    fraction = position - lower
    return float(ordered[lower - 1] + fraction * (ordered[lower] - ordered[lower - 1]))


def job_config(master):
    """
    :return: a ``JobConfigInfo`` (``/jobs/{id}/config``).  Flink's serializer writes ``jid``,
        ``name`` and ``execution-config``; its OpenAPI spec names them ``jobId``, ``jobName`` and
        ``executionConfigInfo``: both are given, so that clients of either work.
    """
    parallelism = max((v.parallelism for v in master.job_graph.vertices), default=1)
    execution_config = {
        "execution-mode": "PIPELINED",
        # The job's own ExecutionConfig sets no strategy: the cluster's applies.
        "restart-strategy": "Cluster level default restart strategy",
        "job-parallelism": parallelism,
        "object-reuse-mode": False,
        "user-config": {},
    }
    return {
        "jid": str(master.job_id),
        "name": master.job_name,
        "execution-config": execution_config,
        "jobId": str(master.job_id),
        "jobName": master.job_name,
        "executionConfigInfo": execution_config,
    }


_JOB_METRICS = {
    "numRestarts": lambda master: master.restarts,
    "fullRestarts": lambda master: master.restarts,
}
"""The job metrics ``/jobs/{jobid}/metrics`` serves (``fullRestarts`` is the deprecated name)."""


def job_metrics(master, get=None):
    """
    ``MetricCollectionResponseBody`` of ``GET /jobs/{jobid}/metrics``: without ``get``, the ids
    of the metrics there are; with ``get`` (comma-separated ids), each known one with its value
    as a string, unknown ones left out, as Flink's metric handlers do.
    """
    if get is None:
        return {"metrics": [{"id": name} for name in _JOB_METRICS]}
    # Flink collects the ids into a set: each is answered once.
    wanted = dict.fromkeys(name.strip() for name in str(get).split(",") if name.strip())
    return {"metrics": [{"id": name, "value": str(_JOB_METRICS[name](master))}
                        for name in wanted if name in _JOB_METRICS]}
