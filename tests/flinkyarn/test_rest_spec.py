"""
Tests for the spec validator of :mod:`tests.flinkyarn.rest_spec`: Flink's ``rest_v1_dispatcher.yml``
read strictly — an invented or misspelt field, a wrong type, a value out of an enum or a Java
integer's range, a status the operation does not answer, all fail — and for the ``conftest.py``
hook that checks every answer a test produces.
"""

import copy

import pytest
from twisted.internet.defer import succeed
from twisted.internet.task import Clock
from twisted.web.server import Site

from flinkyarn.rest import FlinkRestResource
from tests.flinkyarn.rest_spec import (
    SPEC_FILE,
    SpecViolation,
    flink_rest_spec,
)
from tests.http_harness import HttpClient

JOB = "0123456789abcdef0123456789abcdef"
TRIGGER = "fedcba9876543210fedcba9876543210"

JOB_DETAILS = {
    "jid": JOB, "name": "job", "isStoppable": False, "state": "RUNNING", "start-time": 1,
    "end-time": -1, "duration": 5, "maxParallelism": 128, "now": 6,
    "timestamps": {"RUNNING": 2, "CREATED": 1}, "status-counts": {"RUNNING": 1},
    "plan": {"jid": JOB, "nodes": []},
    "vertices": [{
        "id": "cbc357ccb763df2852fee8c4fc7d55f2", "name": "Source", "maxParallelism": 128,
        "parallelism": 1, "status": "RUNNING", "start-time": 2, "end-time": -1, "duration": 4,
        "tasks": {"RUNNING": 1}, "metrics": {"read-bytes": 0, "accumulated-busy-time": 0.5}}],
}

COMPLETED = {
    "className": "completed", "id": 3, "status": "COMPLETED", "is_savepoint": False,
    "savepointFormat": None, "trigger_timestamp": 1, "latest_ack_timestamp": 2,
    "checkpointed_size": 0, "state_size": 0, "end_to_end_duration": 1, "alignment_buffered": 0,
    "processed_data": 0, "persisted_data": 0, "num_subtasks": 1, "num_acknowledged_subtasks": 1,
    "checkpoint_type": "CHECKPOINT", "tasks": {}, "external_path": "x", "discarded": False,
}


@pytest.fixture(scope="module")
def spec():
    return flink_rest_spec()


def violations(spec, body, path=f"/jobs/{JOB}", method="GET", status=200):
    return spec.violations(method, path, status, body)


def changed(body, change):
    body = copy.deepcopy(body)
    change(body)
    return body


def test_it_is_flinks_spec_by_its_digest():
    with open(SPEC_FILE, "rb") as stream:
        assert b"version: v1/1.19-SNAPSHOT" in stream.read()
    assert flink_rest_spec() is flink_rest_spec()


def test_paths_match_as_flinks_router_matches_them(spec):
    assert spec.operation("GET", "/jobs/overview").operation_id == "getJobsOverview"
    assert spec.operation("GET", f"/v1/jobs/{JOB}/").operation_id == "getJobDetails"
    assert spec.operation("PATCH", f"/jobs/{JOB}").operation_id == "cancelJob"
    assert spec.operation("POST", f"/jobs/{JOB}/stop").operation_id == "triggerStopWithSavepoint"
    assert spec.operation("DELETE", "/jobs") is None
    assert violations(spec, {}, path="/no/such/path") == [
        "GET /no/such/path: no such operation in Flink's REST API"]


def test_a_valid_answer_has_no_violation(spec):
    assert violations(spec, JOB_DETAILS) == []
    spec.check("GET", f"/v1/jobs/{JOB}", 200, JOB_DETAILS)


@pytest.mark.parametrize("change, found", [
    (lambda b: b.update(jobid=JOB), "Additional properties are not allowed ('jobid'"),
    (lambda b: b["vertices"][0].update(paralelism=1), "$.vertices[0]: Additional properties"),
    (lambda b: b.update(state="RUNNNING"), "$.state: 'RUNNNING' is not one of"),
    (lambda b: b.update(jid="not-a-job-id"), "$.jid: 'not-a-job-id' does not match"),
    (lambda b: b.update(duration=5.0), "$.duration: 5.0 is not of type 'integer'"),
    (lambda b: b.update(duration=True), "$.duration: True is not of type 'integer'"),
    (lambda b: b["vertices"][0].update(parallelism=2 ** 31), "is greater than the maximum"),
    (lambda b: b.update(name=None), "$.name: None is not of type 'string'"),
    (lambda b: b["timestamps"].update(RUNNING="2"), "$.timestamps.RUNNING: '2' is not of type"),
    (lambda b: b["vertices"][0].update(status="RUNNABLE"), "$.vertices[0].status"),
])
def test_a_wrong_field_name_type_or_value_fails(spec, change, found):
    messages = violations(spec, changed(JOB_DETAILS, change))
    assert messages and found in messages[0], messages


def test_a_double_is_any_number(spec):
    body = changed(JOB_DETAILS, lambda b: b["vertices"][0]["metrics"].update(
        **{"accumulated-busy-time": 3}))
    assert violations(spec, body) == []


def test_null_only_where_the_java_field_is_nullable_and_written(spec):
    path = f"/jobs/{JOB}/checkpoints"
    body = {"counts": {"total": 1}, "history": [COMPLETED],
            "latest": {"completed": COMPLETED, "savepoint": None, "failed": None,
                       "restored": None}}
    assert violations(spec, body, path) == []
    body["counts"]["total"] = None
    assert violations(spec, body, path) == [
        "GET /jobs/{jobid}/checkpoints (getCheckpointingStatistics) 200: at $.counts.total: "
        "None is not of type 'integer'"]


def test_checkpoint_statistics_are_the_subtype_their_class_name_says(spec):
    path = f"/jobs/{JOB}/checkpoints"
    assert violations(spec, {"history": [COMPLETED]}, path) == []
    pending = changed(COMPLETED, lambda b: b.update(className="in_progress"))
    assert "'discarded', 'external_path' were unexpected" in violations(
        spec, {"history": [pending]}, path)[0]
    nameless = changed(COMPLETED, lambda b: b.pop("className"))
    assert "'className' is a required property" in violations(
        spec, {"history": [nameless]}, path)[0]


def test_a_savepoint_status_operation_is_a_savepoint_info(spec):
    path = f"/jobs/{JOB}/savepoints/{TRIGGER}"
    done = {"status": {"id": "COMPLETED"}, "operation": {"location": "hdfs:///s/savepoint-1"}}
    failed = {"status": {"id": "COMPLETED"}, "operation": {"failure-cause": {
        "class": "java.io.IOException", "stack-trace": "java.io.IOException: x",
        "serialized-throwable": "eA=="}}}
    assert violations(spec, done, path) == violations(spec, failed, path) == []
    assert violations(spec, {"status": {"id": "IN_PROGRESS"}}, path) == []
    assert "'checkpointId' was unexpected" in violations(
        spec, {"status": {"id": "COMPLETED"}, "operation": {"checkpointId": 1}}, path)[0]
    assert "'DONE' is not one of" in violations(spec, {"status": {"id": "DONE"}}, path)[0]
    assert "'id' is a required property" in violations(spec, {"status": {}}, path)[0]


def test_the_status_must_be_the_operations_and_an_empty_answer_is_an_empty_object(spec):
    cancel = f"/jobs/{JOB}"
    assert violations(spec, {}, cancel, "PATCH", 202) == []
    assert violations(spec, {"ok": True}, cancel, "PATCH", 202) == [
        "PATCH /jobs/{jobid} (cancelJob) 202: at $: Additional properties are not allowed "
        "('ok' was unexpected)"]
    assert violations(spec, {}, cancel, "PATCH", 200) == [
        "PATCH /jobs/{jobid} (cancelJob) 200: the operation answers [202], not 200"]
    assert violations(spec, {"jobUrl": "/jobs/x"}, "/jobs", "POST", 200) != []


def test_errors_are_flinks_error_response_body(spec):
    assert violations(spec, {"errors": ["Job x not found"]}, status=404) == []
    assert violations(spec, {"errors": ["x"]}, path="/anything", status=404) == []
    for body in ({"error": "x"}, {"errors": []}, {"errors": [1]}, {"errors": ["x"], "more": 1}):
        assert violations(spec, body, status=400), body


def test_the_amendments_for_flinks_custom_serializers(spec):
    """``JobConfigInfo`` in both spellings; a ResourceID that is a YARN container id."""
    config = {"jid": JOB, "name": "n", "execution-config": {"job-parallelism": 1},
              "jobId": JOB, "jobName": "n", "executionConfigInfo": {"job-parallelism": 1}}
    assert violations(spec, config, f"/jobs/{JOB}/config") == []
    assert violations(spec, {**config, "execution_config": {}}, f"/jobs/{JOB}/config")
    managers = {"taskmanagers": [{"id": "container_1767225600000_0001_01_000002"}]}
    assert violations(spec, managers, "/taskmanagers") == []
    with pytest.raises(SpecViolation):
        spec.check("GET", "/taskmanagers", 200, {"taskmanagers": [{"id": ""}]})


def test_the_hook_records_and_checks_every_answer_of_the_resource(flink_rest_answers):
    """An answer that breaks the spec is caught (and would fail the test at teardown)."""
    bodies = iter([{"status": "RUNNING"}, {"status": "RUNNING", "extra": 1}])
    resource = FlinkRestResource(lambda method, args: succeed(next(bodies)))
    http = HttpClient(Site(resource, reactor=Clock()))
    http.get(f"/jobs/{JOB}/status")
    http.get(f"/v1/jobs/{JOB}/status")
    http.get("/nowhere")

    assert flink_rest_answers.answers == [
        ("GET", f"/jobs/{JOB}/status", 200), ("GET", f"/v1/jobs/{JOB}/status", 200),
        ("GET", "/nowhere", 404)]
    assert flink_rest_answers.violations == [
        "GET /jobs/{jobid}/status (getJobStatusInfo) 200: at $: Additional properties are not "
        "allowed ('extra' was unexpected)"]
    flink_rest_answers.violations.clear()  # seen: this test is about the hook itself
