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
        "last-modification": max(v for v in master.graph.state_timestamps().values()) if master.graph else start,
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


def job_exceptions(master, max_exceptions=None):
    """:return: a ``JobExceptionsInfoWithHistory`` (``/jobs/{id}/exceptions``), newest first."""
    entries = []
    for record in reversed(master.failures):
        text = str(record.error)
        entries.append({
            "exceptionName": getattr(record.error, "exception_class", type(record.error).__name__),
            "stacktrace": text,
            "timestamp": record.timestamp,
            "taskName": record.task_name,
            "location": record.location,
            "taskManagerId": record.location,
            "failureLabels": {},
            "concurrentExceptions": [],
        })
    truncated = False
    if max_exceptions is not None and len(entries) > max_exceptions:
        entries = entries[:max_exceptions]
        truncated = True
    root = master.root_failure
    latest = master.failures[-1] if master.failures else None
    return {
        "root-exception": str(root) if root is not None else (str(latest.error) if latest else None),
        "timestamp": latest.timestamp if latest else None,
        "all-exceptions": [],
        "truncated": truncated,
        "exceptionHistory": {"entries": entries, "truncated": truncated},
    }


def job_checkpoints(master):
    """:return: a ``CheckpointingStatistics`` (``/jobs/{id}/checkpoints``)."""
    coordinator = master.checkpoints
    counts = dict(coordinator.counts) if coordinator else {
        "triggered": 0, "completed": 0, "failed": 0, "restored": 0}
    history = []
    latest = None
    for stats in reversed(coordinator.completed if coordinator else ()):
        entry = {
            "className": "completed",
            "id": stats.checkpoint_id,
            "status": "COMPLETED",
            "is_savepoint": False,
            "trigger_timestamp": stats.trigger_timestamp,
            "latest_ack_timestamp": stats.completion_timestamp,
            "end_to_end_duration": stats.completion_timestamp - stats.trigger_timestamp,
            "state_size": 0,
            "checkpointed_size": 0,
            "num_subtasks": len(stats.offsets),
            "num_acknowledged_subtasks": len(stats.offsets),
            "external_path": "<checkpoint-not-externally-addressable>",
            "discarded": False,
        }
        history.append(entry)
        latest = latest or entry
    restored = None
    if coordinator is not None and coordinator.last_restored is not None:
        restored = {"id": coordinator.last_restored.checkpoint_id, "restore_timestamp": 0,
                    "is_savepoint": False, "external_path": "<checkpoint-not-externally-addressable>"}
    in_progress = counts["triggered"] - counts["completed"] - counts["failed"]
    return {
        "counts": {"restored": counts["restored"], "total": counts["triggered"],
                   "in_progress": max(0, in_progress), "completed": counts["completed"],
                   "failed": counts["failed"]},
        "summary": {},
        "latest": {"completed": latest, "savepoint": None, "failed": None, "restored": restored},
        "history": history,
    }


def job_config(master):
    """
    :return: a ``JobConfigInfo`` (``/jobs/{id}/config``).  Flink's serializer writes ``jid``,
        ``name`` and ``execution-config``; its OpenAPI spec names them ``jobId``, ``jobName`` and
        ``executionConfigInfo``: both are given, so that clients of either work.
    """
    parallelism = max((v.parallelism for v in master.job_graph.vertices), default=1)
    execution_config = {
        "execution-mode": "PIPELINED",
        "restart-strategy": str(master.strategy),
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
    wanted = [name.strip() for name in str(get).split(",") if name.strip()]
    return {"metrics": [{"id": name, "value": str(_JOB_METRICS[name](master))}
                        for name in wanted if name in _JOB_METRICS]}
