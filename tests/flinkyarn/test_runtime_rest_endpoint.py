"""
The JobManager's REST endpoint (``flinkyarn.runtime.rest.endpoint``) of a running cluster: every
handler's JSON against the field names and types of Flink's REST spec
(``rest_v1_dispatcher.yml``, v1/1.19), the errors Flink's handlers give, and what the cluster
overview, the TaskManager list, the exceptions and the metrics say about real jobs.

PyYAML is not a dependency, so the spec's schemas the endpoint answers with are transcribed below
(property names and types as the spec has them) rather than read from the YAML file.
"""

import re

import pytest

from flinkyarn.runtime.gateways import RestHandlerException
from flinkyarn.states import ApplicationStatus, ExecutionState
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    bounded_job,
    every_task_running,
    job_master,
    run_until_ended,
    session_cluster,
    unbounded_job,
)

# -- The spec's schemas ---------------------------------------------------------------------------

INT, NUM, STR, BOOL, OBJECT = "integer", "number", "string", "boolean", "object"


def array(item):
    return ("array", item)


def mapping(value):
    return ("map", value)


ENUMS = {
    "JobStatus": {"INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING",
                  "CANCELED", "FINISHED", "RESTARTING", "SUSPENDED", "RECONCILING"},
    "ExecutionState": {"CREATED", "SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED", "CANCELING",
                       "CANCELED", "FAILED", "RECONCILING", "INITIALIZING"},
    "ApplicationStatus": {"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"},
    "Id": {"IN_PROGRESS", "COMPLETED"},
    "CheckpointStatsStatus": {"IN_PROGRESS", "COMPLETED", "FAILED"},
    "RestAPICheckpointType": {"CHECKPOINT", "UNALIGNED_CHECKPOINT", "SAVEPOINT", "SYNC_SAVEPOINT"},
}

PATTERNS = {"JobID": r"[0-9a-f]{32}\Z", "JobVertexID": r"[0-9a-f]{32}\Z"}
"""The spec's ``ResourceID`` pattern is left out: on YARN a TaskManager's id is its container id."""

_CHECKPOINT = {
    "alignment_buffered": INT, "checkpoint_type": "RestAPICheckpointType",
    "checkpointed_size": INT, "className": STR, "end_to_end_duration": INT, "id": INT,
    "is_savepoint": BOOL, "latest_ack_timestamp": INT, "num_acknowledged_subtasks": INT,
    "num_subtasks": INT, "persisted_data": INT, "processed_data": INT, "savepointFormat": STR,
    "state_size": INT, "status": "CheckpointStatsStatus",
    "tasks": mapping("TaskCheckpointStatistics"), "trigger_timestamp": INT,
}

_TASK_MANAGER = {
    "blocked": BOOL, "dataPort": INT, "freeResource": "ResourceProfileInfo", "freeSlots": INT,
    "hardware": "HardwareDescription", "id": STR, "jmxPort": INT,
    "memoryConfiguration": "TaskExecutorMemoryConfiguration", "path": STR, "slotsNumber": INT,
    "timeSinceLastHeartbeat": INT, "totalResource": "ResourceProfileInfo",
}

SCHEMAS = {
    "DashboardConfiguration": {
        "features": "Features", "flink-revision": STR, "flink-version": STR,
        "refresh-interval": INT, "timezone-name": STR, "timezone-offset": INT},
    "Features": {"web-cancel": BOOL, "web-history": BOOL, "web-rescale": BOOL, "web-submit": BOOL},
    "ClusterOverviewWithVersion": {
        "flink-commit": STR, "flink-version": STR, "jobs-cancelled": INT, "jobs-failed": INT,
        "jobs-finished": INT, "jobs-running": INT, "slots-available": INT,
        "slots-free-and-blocked": INT, "slots-total": INT, "taskmanagers": INT,
        "taskmanagers-blocked": INT},
    "JobIdsWithStatusOverview": {"jobs": array("JobIdWithStatus")},
    "JobIdWithStatus": {"id": "JobID", "status": "JobStatus"},
    "MultipleJobsDetails": {"jobs": array("JobDetails")},
    "JobDetails": {
        "duration": INT, "end-time": INT, "jid": "JobID", "last-modification": INT, "name": STR,
        "start-time": INT, "state": "JobStatus", "tasks": mapping(INT)},
    "JobDetailsInfo": {
        "duration": INT, "end-time": INT, "isStoppable": BOOL, "jid": "JobID",
        "maxParallelism": INT, "name": STR, "now": INT, "plan": OBJECT, "start-time": INT,
        "state": "JobStatus", "status-counts": mapping(INT), "timestamps": mapping(INT),
        "vertices": array("JobDetailsVertexInfo")},
    "JobDetailsVertexInfo": {
        "duration": INT, "end-time": INT, "id": "JobVertexID", "maxParallelism": INT,
        "metrics": "IOMetricsInfo", "name": STR, "parallelism": INT, "start-time": INT,
        "status": "ExecutionState", "tasks": mapping(INT)},
    "IOMetricsInfo": {
        "accumulated-backpressured-time": INT, "accumulated-busy-time": NUM,
        "accumulated-idle-time": INT, "read-bytes": INT, "read-bytes-complete": BOOL,
        "read-records": INT, "read-records-complete": BOOL, "write-bytes": INT,
        "write-bytes-complete": BOOL, "write-records": INT, "write-records-complete": BOOL},
    "JobStatusInfo": {"status": "JobStatus"},
    "JobExecutionResultResponseBody": {"job-execution-result": "JobResult",
                                       "status": "QueueStatus"},
    "QueueStatus": {"id": "Id"},
    "JobResult": {
        "accumulatorResults": mapping(OBJECT), "applicationStatus": "ApplicationStatus",
        "jobId": "JobID", "netRuntime": INT, "serializedThrowable": "SerializedThrowable",
        "success": BOOL},
    "SerializedThrowable": {"serialized-throwable": STR},
    "JobExceptionsInfoWithHistory": {
        "all-exceptions": array("ExecutionExceptionInfo"),
        "exceptionHistory": "JobExceptionHistory", "root-exception": STR, "timestamp": INT,
        "truncated": BOOL},
    "ExecutionExceptionInfo": {
        "exception": STR, "location": STR, "task": STR, "taskManagerId": STR, "timestamp": INT},
    "JobExceptionHistory": {"entries": array("RootExceptionInfo"), "truncated": BOOL},
    "RootExceptionInfo": {
        "concurrentExceptions": array("ExceptionInfo"), "exceptionName": STR,
        "failureLabels": mapping(STR), "location": STR, "stacktrace": STR,
        "taskManagerId": STR, "taskName": STR, "timestamp": INT},
    "ExceptionInfo": {
        "exceptionName": STR, "failureLabels": mapping(STR), "location": STR, "stacktrace": STR,
        "taskManagerId": STR, "taskName": STR, "timestamp": INT},
    "JobConfigInfo": {"executionConfigInfo": "ExecutionConfigInfo", "jobId": "JobID",
                      "jobName": STR},
    "ExecutionConfigInfo": {
        "execution-mode": STR, "job-parallelism": INT, "object-reuse-mode": BOOL,
        "restart-strategy": STR, "user-config": mapping(STR)},
    "CheckpointingStatistics": {
        "counts": "Counts", "history": array("CompletedCheckpointStatistics"),
        "latest": "LatestCheckpoints", "summary": "CheckpointStatisticsSummary"},
    "Counts": {"completed": INT, "failed": INT, "in_progress": INT, "restored": INT, "total": INT},
    "CheckpointStatisticsSummary": {
        "alignment_buffered": "StatsSummaryDto", "checkpointed_size": "StatsSummaryDto",
        "end_to_end_duration": "StatsSummaryDto", "persisted_data": "StatsSummaryDto",
        "processed_data": "StatsSummaryDto", "state_size": "StatsSummaryDto"},
    "StatsSummaryDto": {"avg": INT, "max": INT, "min": INT, "p50": NUM, "p90": NUM, "p95": NUM,
                        "p99": NUM, "p999": NUM},
    "LatestCheckpoints": {
        "completed": "CompletedCheckpointStatistics", "failed": "FailedCheckpointStatistics",
        "restored": "RestoredCheckpointStatistics", "savepoint": "CompletedCheckpointStatistics"},
    "CompletedCheckpointStatistics": {**_CHECKPOINT, "external_path": STR, "discarded": BOOL},
    "FailedCheckpointStatistics": {**_CHECKPOINT, "failure_timestamp": INT,
                                   "failure_message": STR},
    "RestoredCheckpointStatistics": {
        "external_path": STR, "id": INT, "is_savepoint": BOOL, "restore_timestamp": INT},
    "TaskCheckpointStatistics": {
        "alignment_buffered": INT, "checkpointed_size": INT, "end_to_end_duration": INT,
        "id": INT, "latest_ack_timestamp": INT, "num_acknowledged_subtasks": INT,
        "num_subtasks": INT, "persisted_data": INT, "processed_data": INT, "state_size": INT,
        "status": "CheckpointStatsStatus"},
    "MetricCollectionResponseBody": {"metrics": array("Metric")},
    "Metric": {"id": STR, "value": STR},
    "JobSubmitResponseBody": {"jobUrl": STR},
    "TaskManagersInfo": {"taskmanagers": array("TaskManagerInfo")},
    "TaskManagerInfo": _TASK_MANAGER,
    "TaskManagerDetailsInfo": {**_TASK_MANAGER, "allocatedSlots": array("SlotInfo"),
                               "metrics": "TaskManagerMetricsInfo"},
    "ResourceProfileInfo": {
        "cpuCores": NUM, "extendedResources": mapping(NUM), "managedMemory": INT,
        "networkMemory": INT, "taskHeapMemory": INT, "taskOffHeapMemory": INT},
    "HardwareDescription": {"cpuCores": INT, "freeMemory": INT, "managedMemory": INT,
                            "physicalMemory": INT},
    "TaskExecutorMemoryConfiguration": {
        "frameworkHeap": INT, "frameworkOffHeap": INT, "jvmMetaspace": INT, "jvmOverhead": INT,
        "managedMemory": INT, "networkMemory": INT, "taskHeap": INT, "taskOffHeap": INT,
        "totalFlinkMemory": INT, "totalProcessMemory": INT},
    "TaskManagerMetricsInfo": {
        "directCount": INT, "directMax": INT, "directUsed": INT,
        "garbageCollectors": array("GarbageCollectorInfo"), "heapCommitted": INT, "heapMax": INT,
        "heapUsed": INT, "mappedCount": INT, "mappedMax": INT, "mappedUsed": INT,
        "memorySegmentsAvailable": INT, "memorySegmentsTotal": INT,
        "nettyShuffleMemoryAvailable": INT, "nettyShuffleMemorySegmentsAvailable": INT,
        "nettyShuffleMemorySegmentsTotal": INT, "nettyShuffleMemorySegmentsUsed": INT,
        "nettyShuffleMemoryTotal": INT, "nettyShuffleMemoryUsed": INT, "nonHeapCommitted": INT,
        "nonHeapMax": INT, "nonHeapUsed": INT},
    "GarbageCollectorInfo": {"count": INT, "name": STR, "time": INT},
    "SlotInfo": {"jobId": "JobID", "resource": "ResourceProfileInfo"},
    "ConfigurationInfoEntry": {"key": STR, "value": STR},
}

OPTIONAL = {
    "JobExecutionResultResponseBody": {"job-execution-result"},  # not while IN_PROGRESS
    "JobResult": {"serializedThrowable"},  # only for a job that did not finish
    "Metric": {"value"},  # not when listing the metric ids
}
"""Properties Flink leaves out when they do not apply (the spec marks none as required)."""

NULLABLE = {
    "JobExceptionsInfoWithHistory": {"root-exception", "timestamp"},
    "RootExceptionInfo": {"taskName", "location", "taskManagerId"},
    "LatestCheckpoints": {"completed", "failed", "restored", "savepoint"},
    "CompletedCheckpointStatistics": {"savepointFormat"},
}
"""Properties Flink writes as ``null`` when there is nothing to say."""

EXTRA = {"JobConfigInfo": {"jid", "name", "execution-config"}}
"""Names Flink's own ``JobConfigInfo`` serializer writes besides the spec's."""


def spec_violations(value, schema, path="$"):
    """:return: how ``value`` departs from ``schema`` (a type of :data:`SCHEMAS`), one line each."""
    if isinstance(schema, tuple):
        kind, inner = schema
        if kind == "array":
            if not isinstance(value, list):
                return [f"{path}: expected an array, got {value!r}"]
            return [v for i, item in enumerate(value)
                    for v in spec_violations(item, inner, f"{path}[{i}]")]
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {value!r}"]
        return [v for key, item in value.items()
                for v in spec_violations(item, inner, f"{path}.{key}")]
    if schema in SCHEMAS:
        if not isinstance(value, dict):
            return [f"{path}: expected a {schema}, got {value!r}"]
        properties = SCHEMAS[schema]
        found = []
        for key in sorted(set(properties) - set(value) - OPTIONAL.get(schema, set())):
            found.append(f"{path}: {schema} lacks {key!r}")
        for key in sorted(set(value) - set(properties) - EXTRA.get(schema, set())):
            found.append(f"{path}: {schema} has no property {key!r}")
        for key, item in value.items():
            if key not in properties or (item is None and key in NULLABLE.get(schema, ())):
                continue
            found.extend(spec_violations(item, properties[key], f"{path}.{key}"))
        return found
    if schema in ENUMS:
        return [] if value in ENUMS[schema] else [f"{path}: {value!r} is no {schema}"]
    if schema in PATTERNS:
        ok = isinstance(value, str) and re.match(PATTERNS[schema], value)
        return [] if ok else [f"{path}: {value!r} is no {schema}"]
    checks = {
        INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
        NUM: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        STR: lambda v: isinstance(v, str),
        BOOL: lambda v: isinstance(v, bool),
        OBJECT: lambda v: isinstance(v, dict),
    }
    return [] if checks[schema](value) else [f"{path}: {value!r} is not of type {schema}"]


# -- Set-ups ---------------------------------------------------------------------------------------

CHECKPOINTING = {"execution.checkpointing.interval": "1 s"}
RESTARTING = {"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "3",
              "restart-strategy.fixed-delay.delay": "1 s"}


def rest_of(flink, session):
    return flink.job_manager(session.application_id).rest


def error_of(call, *args):
    """:return: ``(status, message)`` of the RestHandlerException ``call(*args)`` raises."""
    with pytest.raises(RestHandlerException) as raised:
        call(*args)
    return raised.value.status, raised.value.message


def refusal_of(call, *args):
    """:return: ``(status, errors)`` of the RestHandlerException ``call(*args)`` raises."""
    with pytest.raises(RestHandlerException) as raised:
        call(*args)
    return raised.value.status, raised.value.body()["errors"]


def handler_schemas(rest, job_id, taskmanager_id):
    """:return: ``(name, response, schema)`` of every handler, for one job and TaskManager."""
    job = str(job_id)
    return [
        ("get_config", rest.get_config(), "DashboardConfiguration"),
        ("get_overview", rest.get_overview(), "ClusterOverviewWithVersion"),
        ("get_jobs", rest.get_jobs(), "JobIdsWithStatusOverview"),
        ("get_jobs_overview", rest.get_jobs_overview(), "MultipleJobsDetails"),
        ("get_job", rest.get_job(job), "JobDetailsInfo"),
        ("get_job_status", rest.get_job_status(job), "JobStatusInfo"),
        ("get_job_result", rest.get_job_result(job), "JobExecutionResultResponseBody"),
        ("get_job_exceptions", rest.get_job_exceptions(job), "JobExceptionsInfoWithHistory"),
        ("get_job_config", rest.get_job_config(job), "JobConfigInfo"),
        ("get_job_checkpoints", rest.get_job_checkpoints(job), "CheckpointingStatistics"),
        ("get_job_metrics", rest.get_job_metrics(job), "MetricCollectionResponseBody"),
        ("get_job_metrics?get", rest.get_job_metrics(job, "numRestarts"),
         "MetricCollectionResponseBody"),
        ("get_taskmanagers", rest.get_taskmanagers(), "TaskManagersInfo"),
        ("get_taskmanager", rest.get_taskmanager(taskmanager_id), "TaskManagerDetailsInfo"),
        ("get_jobmanager_config", rest.get_jobmanager_config(), array("ConfigurationInfoEntry")),
    ]


@pytest.fixture
def checkpointed(tmp_path):
    """A session running one checkpointed job of parallelism 2 that has completed checkpoints."""
    flink, session = session_cluster(tmp_path, flink_config={
        **CHECKPOINTING, "taskmanager.numberOfTaskSlots": "2"})
    job_id = flink.run(session.submit_job(bounded_job("shaped", parallelism=2, records=20_000)))
    rest = rest_of(flink, session)
    assert flink.run_until(lambda: rest.get_job_checkpoints(job_id)["counts"]["completed"] >= 2)
    return flink, session, rest, job_id


# -- The spec checker itself ---------------------------------------------------------------------


def test_the_spec_checker_names_missing_unknown_and_mistyped_properties():
    """The checker reports a lacking property, an undeclared one and a value of the wrong type."""
    overview = {"jobs": [{"id": "e3e70682c2094cac629f6fbed82c07cd", "status": "RUNNING"}]}
    assert spec_violations(overview, "JobIdsWithStatusOverview") == []
    assert spec_violations({"jobs": [{"id": "E3E7", "state": True}]},
                           "JobIdsWithStatusOverview") == [
        "$.jobs[0]: JobIdWithStatus lacks 'status'",
        "$.jobs[0]: JobIdWithStatus has no property 'state'",
        "$.jobs[0].id: 'E3E7' is no JobID",
    ]
    assert spec_violations({"status": {"id": "DONE"}}, "JobExecutionResultResponseBody") == [
        "$.status.id: 'DONE' is no Id"]
    assert spec_violations({"id": "x", "value": 1}, "Metric") == [
        "$.value: 1 is not of type string"]
    assert spec_violations({"refresh-interval": True}, "DashboardConfiguration")[-1] == \
        "$.refresh-interval: True is not of type integer"


# -- Shapes ----------------------------------------------------------------------------------------


def test_every_handler_answers_in_the_spec_shapes_while_a_job_runs(checkpointed):
    """With a checkpointed job RUNNING, every handler's JSON has the spec's names and types."""
    flink, session, rest, job_id = checkpointed
    (taskmanager,) = rest.get_taskmanagers()["taskmanagers"]
    responses = handler_schemas(rest, job_id, taskmanager["id"])
    assert {name: spec_violations(body, schema) for name, body, schema in responses} == {
        name: [] for name, _, _ in responses}
    assert rest.get_job_status(str(job_id)) == {"status": "RUNNING"}
    assert rest.get_job_result(str(job_id)) == {"status": {"id": "IN_PROGRESS"}}
    assert rest.get_job(str(job_id))["end-time"] == -1


def test_every_handler_answers_in_the_spec_shapes_once_the_job_finished(checkpointed):
    """After the job FINISHED, every handler's JSON still has the spec's names and types."""
    flink, session, rest, job_id = checkpointed
    (taskmanager,) = rest.get_taskmanagers()["taskmanagers"]
    flink.run(session.request_job_result(job_id))
    responses = handler_schemas(rest, job_id, taskmanager["id"])
    assert {name: spec_violations(body, schema) for name, body, schema in responses} == {
        name: [] for name, _, _ in responses}
    result = rest.get_job_result(str(job_id))
    assert (result["status"], result["job-execution-result"]["applicationStatus"],
            result["job-execution-result"]["success"]) == ({"id": "COMPLETED"}, "SUCCEEDED", True)
    assert "serializedThrowable" not in result["job-execution-result"]
    details = rest.get_job(str(job_id))
    assert details["state"] == "FINISHED"
    assert details["end-time"] == details["timestamps"]["FINISHED"]
    assert details["duration"] == details["end-time"] - details["start-time"]


def test_a_failed_job_answers_in_the_spec_shapes_with_its_cause(tmp_path):
    """A FAILED job's result, exceptions and details keep the spec's shapes and carry the cause."""
    flink, session = session_cluster(tmp_path)
    job_graph = bounded_job("doomed", parallelism=1, records=100_000)
    job_id = flink.run(session.submit_job(job_graph))
    rest = rest_of(flink, session)
    assert flink.run_until(lambda: all_tasks_running(rest, job_id))
    flink.fail_task(session.application_id, job_id, job_graph.vertices[0].name, message="boom")
    flink.run(session.request_job_result(job_id))
    (taskmanager,) = rest.get_taskmanagers()["taskmanagers"]
    responses = handler_schemas(rest, job_id, taskmanager["id"])
    assert {name: spec_violations(body, schema) for name, body, schema in responses} == {
        name: [] for name, _, _ in responses}
    result = rest.get_job_result(str(job_id))["job-execution-result"]
    assert (result["applicationStatus"], result["success"]) == ("FAILED", False)
    assert result["serializedThrowable"]["serialized-throwable"].endswith(
        "Caused by: org.apache.flink.util.FlinkRuntimeException: boom")


def test_the_dashboard_configuration_names_the_emulated_flink_release(tmp_path):
    """``GET /config`` gives Flink 1.18.1, a 3 s refresh and no web submission."""
    flink, session = session_cluster(tmp_path)
    config = rest_of(flink, session).get_config()
    assert (config["flink-version"], config["refresh-interval"], config["features"]) == (
        "1.18.1", 3000,
        {"web-submit": False, "web-cancel": False, "web-rescale": False, "web-history": False})


def test_the_jobmanager_configuration_lists_the_addresses_it_runs_at(tmp_path):
    """``GET /jobmanager/config`` lists the REST address and port the JobManager bound to."""
    flink, session = session_cluster(tmp_path)
    entries = {entry["key"]: entry["value"]
               for entry in rest_of(flink, session).get_jobmanager_config()}
    assert (entries["rest.address"], entries["rest.port"]) == (session.host, str(session.port))
    assert entries["high-availability.cluster-id"] == str(session.application_id)


# -- Errors ----------------------------------------------------------------------------------------

UNKNOWN_JOB = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("handler, message", [
    pytest.param("get_job", f"Job {UNKNOWN_JOB} not found", id="details"),
    pytest.param("get_job_config", f"Job {UNKNOWN_JOB} not found", id="config"),
    pytest.param("get_job_exceptions", f"Job {UNKNOWN_JOB} not found", id="exceptions"),
    pytest.param("get_job_checkpoints", f"Job {UNKNOWN_JOB} not found", id="checkpoints"),
    pytest.param("get_job_result", "org.apache.flink.runtime.messages.FlinkJobNotFoundException: "
                 f"Could not find Flink job ({UNKNOWN_JOB})", id="execution-result"),
    pytest.param("cancel_job", "Job could not be found.", id="cancel"),
])
def test_an_unknown_job_is_404_with_the_message_of_flinks_handler(tmp_path, handler, message):
    """Each job handler answers an unknown job with 404 and the words its Flink handler uses."""
    flink, session = session_cluster(tmp_path)
    rest = rest_of(flink, session)
    assert error_of(getattr(rest, handler), UNKNOWN_JOB) == (404, message)


def test_the_status_of_an_unknown_job_is_an_internal_server_error(tmp_path):
    """``JobStatusHandler`` does not map FlinkJobNotFoundException: 500 with the exception."""
    flink, session = session_cluster(tmp_path)
    with pytest.raises(RestHandlerException) as raised:
        rest_of(flink, session).get_job_status(UNKNOWN_JOB)
    assert raised.value.body() == {"errors": [
        "Internal server error.",
        "<Exception on server side:\norg.apache.flink.runtime.messages.FlinkJobNotFoundException: "
        f"Could not find Flink job ({UNKNOWN_JOB})\n\nEnd of exception on server side>"]}
    assert raised.value.status == 500


def test_an_unknown_job_has_no_metrics(tmp_path):
    """``/jobs/{id}/metrics`` of a job the metric store lacks is an empty list, not an error."""
    flink, session = session_cluster(tmp_path)
    assert rest_of(flink, session).get_job_metrics(UNKNOWN_JOB, "numRestarts") == {"metrics": []}


@pytest.mark.parametrize("handler", ["get_job", "get_job_status", "get_job_result",
                                     "get_job_metrics", "cancel_job"])
def test_a_malformed_job_id_is_400(tmp_path, handler):
    """A path job id that is not 32 hex digits is a bad request naming the value."""
    flink, session = session_cluster(tmp_path)
    assert error_of(getattr(rest_of(flink, session), handler), "not-a-job") == (
        400, 'Bad request, could not parse parameters: Cannot resolve path parameter (jobid) '
             'from value "not-a-job".')


def test_submitting_a_job_id_twice_is_500_while_it_runs_and_after_it_ended(tmp_path):
    """
    A second ``POST /jobs`` of a known job id is refused, running or finished; JobSubmitHandler
    does not map the Dispatcher's DuplicateJobSubmissionException, so it is a 500.
    """
    flink, session = session_cluster(tmp_path)
    rest = rest_of(flink, session)
    job_graph = bounded_job("once", parallelism=1, records=2_000)
    assert rest.submit_job(job_graph.to_bytes()) == {"jobUrl": f"/jobs/{job_graph.job_id}"}
    duplicate = ("<Exception on server side:\norg.apache.flink.runtime.client."
                 "DuplicateJobSubmissionException: Job has already been submitted.\n\n"
                 "End of exception on server side>")
    assert refusal_of(rest.submit_job, job_graph.to_bytes()) == (
        500, ["Internal server error.", duplicate])
    flink.run(session.request_job_result(job_graph.job_id))
    assert refusal_of(rest.submit_job, job_graph.to_bytes()) == (
        500, ["Internal server error.", duplicate])
    assert [job["id"] for job in rest.get_jobs()["jobs"]] == [str(job_graph.job_id)]


def test_a_malformed_job_graph_is_400(tmp_path):
    """Bytes that are no JobGraph are refused as Flink's JobSubmitHandler refuses them."""
    flink, session = session_cluster(tmp_path)
    rest = rest_of(flink, session)
    assert error_of(rest.submit_job, b"\xac\xed\x00\x05 not a graph") == (
        400, "Failed to deserialize JobGraph.")
    assert rest.get_jobs() == {"jobs": []}


def test_an_unknown_task_manager_is_404(tmp_path):
    """``/taskmanagers/{id}`` of an id no TaskManager has is 404 "Could not find TaskExecutor"."""
    flink, session = session_cluster(tmp_path)
    assert error_of(rest_of(flink, session).get_taskmanager, "container_nobody") == (
        404, "Could not find TaskExecutor container_nobody.")


# -- What the views say ----------------------------------------------------------------------------


def test_the_overview_counts_task_managers_slots_and_jobs_by_state(tmp_path):
    """The overview counts TaskManagers, total and free slots, and jobs by their state."""
    flink, session = session_cluster(tmp_path, flink_config={"taskmanager.numberOfTaskSlots": "2"})
    app = session.application_id
    rest = rest_of(flink, session)
    finished = flink.run(session.submit_job(bounded_job("finished", parallelism=1, records=1_000)))
    flink.run(session.request_job_result(finished))
    cancelled = flink.run(session.submit_job(unbounded_job("cancelled", parallelism=1)))
    assert flink.run_until(lambda: all_tasks_running(rest, cancelled))
    flink.run(session.cancel(cancelled))
    flink.run(session.request_job_result(cancelled))
    failing = bounded_job("failed", parallelism=1, records=100_000)
    flink.run(session.submit_job(failing))
    assert flink.run_until(lambda: all_tasks_running(rest, failing.job_id))
    flink.fail_task(app, failing.job_id, failing.vertices[0].name)
    flink.run(session.request_job_result(failing.job_id))
    running = flink.run(session.submit_job(unbounded_job("running", parallelism=3)))
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, running)))

    overview = rest.get_overview()
    assert {key: overview[key] for key in (
        "taskmanagers", "slots-total", "slots-available", "jobs-running", "jobs-finished",
        "jobs-cancelled", "jobs-failed")} == {
        "taskmanagers": 2, "slots-total": 4, "slots-available": 1, "jobs-running": 1,
        "jobs-finished": 1, "jobs-cancelled": 1, "jobs-failed": 1}
    assert [(job["id"], job["status"]) for job in rest.get_jobs()["jobs"]] == [
        (str(finished), "FINISHED"), (str(cancelled), "CANCELED"),
        (str(failing.job_id), "FAILED"), (str(running), "RUNNING")]


def test_task_managers_show_their_slots_and_which_job_holds_them(tmp_path):
    """Each TaskManager lists its slots and free slots; its details say which job holds which."""
    flink, session = session_cluster(tmp_path, flink_config={"taskmanager.numberOfTaskSlots": "3"})
    rest = rest_of(flink, session)
    assert rest.get_taskmanagers() == {"taskmanagers": []}
    job_id = flink.run(session.submit_job(unbounded_job("two-slots", parallelism=2)))
    assert flink.run_until(lambda: all_tasks_running(rest, job_id))
    (taskmanager,) = rest.get_taskmanagers()["taskmanagers"]
    (container,) = [str(tm.container_id) for tm in flink.task_managers(session.application_id)]
    assert (taskmanager["id"], taskmanager["slotsNumber"], taskmanager["freeSlots"]) == (
        container, 3, 1)
    details = rest.get_taskmanager(container)
    assert [slot["jobId"] for slot in details["allocatedSlots"]] == [str(job_id)] * 2


def test_a_task_failure_shows_in_the_exception_history_and_counts_a_restart(tmp_path):
    """A task failure is the newest exception history entry and makes numRestarts 1."""
    flink, session = session_cluster(tmp_path, flink_config=RESTARTING)
    app = session.application_id
    rest = rest_of(flink, session)
    job_graph = bounded_job("recovering", parallelism=2, records=30_000)
    job_id = flink.run(session.submit_job(job_graph))
    assert flink.run_until(lambda: all_tasks_running(rest, job_id))
    vertex = job_graph.vertices[0].name
    execution, task_manager = flink.task_manager_running(app, job_id, vertex, subtask=1)
    flink.fail_task(app, job_id, vertex, subtask=1, message="boom")
    assert flink.run_until(lambda: rest.get_job_exceptions(str(job_id))["root-exception"])
    failed_at = execution.state_timestamp(ExecutionState.FAILED)

    exceptions = rest.get_job_exceptions(str(job_id))
    assert spec_violations(exceptions, "JobExceptionsInfoWithHistory") == []
    (entry,) = exceptions["exceptionHistory"]["entries"]
    assert entry == {
        "exceptionName": "org.apache.flink.util.FlinkRuntimeException",
        "stacktrace": "org.apache.flink.util.FlinkRuntimeException: boom",
        "timestamp": failed_at,
        "taskName": f"{vertex} (2/2)",
        "location": f"{task_manager.host}:{task_manager.task_executor.registration.data_port}",
        "taskManagerId": str(task_manager.container_id),
        "failureLabels": {},
        "concurrentExceptions": [],
    }
    assert (exceptions["root-exception"], exceptions["timestamp"]) == (
        "org.apache.flink.util.FlinkRuntimeException: boom", failed_at)
    assert rest.get_job_metrics(str(job_id), "numRestarts") == {
        "metrics": [{"id": "numRestarts", "value": "1"}]}
    result = flink.run(session.request_job_result(job_id))
    assert result.application_status is ApplicationStatus.SUCCEEDED


def test_job_metrics_list_their_ids_and_answer_each_asked_known_one_once(tmp_path):
    """Without ``get`` the metric ids; with it each known id once, unknown ids left out."""
    flink, session = session_cluster(tmp_path)
    job_id = flink.run(session.submit_job(unbounded_job("measured", parallelism=1)))
    rest = rest_of(flink, session)
    assert rest.get_job_metrics(str(job_id)) == {
        "metrics": [{"id": "numRestarts"}, {"id": "fullRestarts"}]}
    assert rest.get_job_metrics(str(job_id), "fullRestarts, nope,numRestarts,fullRestarts") == {
        "metrics": [{"id": "fullRestarts", "value": "0"}, {"id": "numRestarts", "value": "0"}]}


def test_cancelling_over_rest_answers_empty_and_the_job_ends_canceled(tmp_path):
    """``PATCH /jobs/{id}?mode=cancel`` answers ``{}``; the job then goes CANCELED."""
    flink, session = session_cluster(tmp_path)
    rest = rest_of(flink, session)
    job_id = flink.run(session.submit_job(unbounded_job("stoppable", parallelism=1)))
    assert flink.run_until(lambda: all_tasks_running(rest, job_id))
    assert rest.cancel_job(str(job_id)) == {}
    assert flink.run_until(lambda: rest.get_job_status(str(job_id)) == {"status": "CANCELED"})


def test_delete_cluster_ends_a_session_finished_succeeded(tmp_path):
    """``DELETE /cluster`` answers ``{}``; the JobManager exits 0, YARN has FINISHED/SUCCEEDED."""
    flink, session = session_cluster(tmp_path)
    job_manager = flink.job_manager(session.application_id)
    assert job_manager.rest.shutdown_cluster() == {}
    assert run_until_ended(flink, session.application_id) == ("FINISHED", "SUCCEEDED")
    assert job_manager.context.exit_code == 0


def test_a_submission_after_delete_cluster_is_refused_as_unavailable(tmp_path):
    """Once ``DELETE /cluster`` is under way, ``POST /jobs`` gets 503 and no job is added."""
    flink, session = session_cluster(tmp_path)
    rest = rest_of(flink, session)
    rest.shutdown_cluster()
    assert error_of(rest.submit_job, bounded_job("late").to_bytes()) == (
        503, "Service temporarily unavailable due to an ongoing leader election. Please refresh.")
    assert rest.get_jobs() == {"jobs": []}

