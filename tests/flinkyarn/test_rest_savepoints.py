"""
Stop-with-savepoint over HTTP: ``POST /jobs/{jobid}/stop`` and ``GET
/jobs/{jobid}/savepoints/{triggerid}`` served by :class:`FlinkRestResource` for a real session's
JobManager (directly, under ``/v1`` and through the RM web proxy), their errors as Flink's
handlers answer them, and ``ClusterClient.stop_with_savepoint`` over HTTP through the proxy.
"""

import base64
import json

import pytest
from twisted.internet.task import Clock
from twisted.web.resource import Resource
from twisted.web.server import Site

from flinkyarn.client.client_log import ClientLog
from flinkyarn.client.cluster_client import ClusterClient, RemoteFlinkException
from flinkyarn.rest import RestOverHttp, flink_rest_proxy_targets
from flinkyarn.rest.savepoint_request import STOP_WITH_SAVEPOINT_BODY, read_stop_with_savepoint
from flinkyarn.runtime.gateways import RestHandlerException
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    job_master,
    session_cluster,
    submit_and_run,
    unbounded_job,
)
from tests.http_harness import HttpClient, InMemoryHttpClient
from yarnemu.web.proxy import WebProxyResource

UNKNOWN_JOB = "0123456789abcdef0123456789abcdef"
BAD_BODY = "Request did not match expected format StopWithSavepointRequestBody."


def site(resource):
    return Site(resource, reactor=Clock(), parsePOSTFormSubmission=False)


class Served:
    """A session with one unbounded job, its JobManager's REST API over HTTP in memory."""

    def __init__(self, tmp_path, flink_config=None):
        self.flink, self.session = session_cluster(tmp_path, flink_config)
        self.application_id = self.session.application_id
        self.target_for = flink_rest_proxy_targets(self.flink.yarn.network)
        self.http = HttpClient(site(self.target_for(self.session.host, self.session.port)))
        self.job, self.master = submit_and_run(self.flink, self.session, unbounded_job("endless"))

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
        return self.flink.run(self.http.start_request(
            method, path, data, {"Content-Type": "application/json"}), seconds=60)

    def stop(self, body, job=None, prefix=""):
        return self.request("POST", f"{prefix}/jobs/{job or self.job}/stop", body)

    def status(self, trigger, job=None, prefix=""):
        return self.request("GET", f"{prefix}/jobs/{job or self.job}/savepoints/{trigger}")


@pytest.fixture
def served(tmp_path):
    return Served(tmp_path)


def errors(response):
    return response.status, response.json()["errors"]


def test_stop_is_accepted_with_a_trigger_id_and_its_status_polled_until_completed(served):
    response = served.stop({"targetDirectory": "hdfs:///savepoints", "drain": False},
                           prefix="/v1")
    assert response.status == 202
    trigger = response.json()["request-id"]
    assert len(trigger) == 32 and int(trigger, 16) >= 0
    assert served.status(trigger).json() == {"status": {"id": "IN_PROGRESS"}}
    assert served.flink.run_until(lambda: served.master.status is JobStatus.FINISHED)

    answer = served.status(trigger, prefix="/v1")

    assert answer.status == 200
    assert answer.json()["status"] == {"id": "COMPLETED"}
    location = answer.json()["operation"]["location"]
    assert location.startswith(f"hdfs:///savepoints/savepoint-{str(served.job)[:6]}-")
    assert served.request("GET", f"/jobs/{served.job}/status").json() == {"status": "FINISHED"}


def test_a_job_that_is_not_running_is_accepted_and_its_status_is_the_failure(served):
    """As Flink's Dispatcher: the trigger is accepted; the operation fails with the reason."""
    response = served.stop({"targetDirectory": "/savepoints"}, job=UNKNOWN_JOB)
    assert response.status == 202
    trigger = response.json()["request-id"]

    answer = served.status(trigger, job=UNKNOWN_JOB).json()

    assert answer["status"] == {"id": "COMPLETED"}
    cause = answer["operation"]["failure-cause"]
    assert cause["class"] == "org.apache.flink.runtime.messages.FlinkJobNotFoundException"
    assert cause["stack-trace"] == (
        "org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job "
        f"({UNKNOWN_JOB})")
    assert base64.b64decode(cause["serialized-throwable"]).decode() == cause["stack-trace"]


def test_without_a_target_directory_the_configured_default_is_used(tmp_path):
    served = Served(tmp_path, {"state.savepoints.dir": "hdfs:///defaults"})
    trigger = served.stop(b"").json()["request-id"]
    assert served.flink.run_until(lambda: served.master.status is JobStatus.FINISHED)
    location = served.status(trigger).json()["operation"]["location"]
    assert location.startswith("hdfs:///defaults/savepoint-")


def test_without_a_target_directory_or_default_it_is_a_bad_request(served):
    assert errors(served.stop({"drain": True})) == (400, [
        "Config key [state.savepoints.dir] is not set. Property [targetDirectory] must be "
        "provided."])
    assert served.master.status is JobStatus.RUNNING


@pytest.mark.parametrize("body", [
    b"not json", b"[]", {"targetDirectory": "/s", "target-directory": "/s"},
    {"targetDirectory": 7}, {"targetDirectory": "/s", "drain": "true"},
    {"targetDirectory": "/s", "formatType": "BINARY"}, {"targetDirectory": "/s", "triggerId": "x"},
])
def test_a_body_that_is_not_a_stop_with_savepoint_request_is_a_bad_request(served, body):
    assert errors(served.stop(body)) == (400, [BAD_BODY])
    assert served.master.status is JobStatus.RUNNING


def test_bad_and_unknown_trigger_ids(served):
    assert errors(served.status("nope")) == (400, [
        'Bad request, could not parse parameters: Cannot resolve path parameter (triggerid) '
        'from value "nope".'])
    assert errors(served.status("A" * 32)) == (404, [
        f"There is no savepoint operation with triggerId={'a' * 32} for job {served.job}."])


def test_a_trigger_id_of_the_request_is_the_operations_key(served):
    """A client may name the operation; asking again with it is the same operation."""
    trigger = "0123456789abcdef0123456789ABCDEF"
    body = {"targetDirectory": "/savepoints", "formatType": "NATIVE", "triggerId": trigger}
    assert served.stop(body).json() == {"request-id": trigger.lower()}
    assert served.stop(body).json() == {"request-id": trigger.lower()}
    assert served.flink.run_until(lambda: served.master.status is JobStatus.FINISHED)
    assert served.status(trigger).json()["status"] == {"id": "COMPLETED"}


def test_stop_through_the_rm_web_proxy(served):
    root = Resource()
    root.putChild(b"proxy", WebProxyResource(served.flink.rm.client_service, served.target_for))
    rm = HttpClient(site(root))
    base = f"/proxy/{served.application_id}"
    response = served.flink.run(rm.start_request(
        "POST", f"{base}/jobs/{served.job}/stop",
        json.dumps({"targetDirectory": "/via-proxy"}).encode(),
        {"Content-Type": "application/json"}))
    assert response.status == 202
    trigger = response.json()["request-id"]
    assert served.flink.run_until(lambda: served.master.status is JobStatus.FINISHED)
    response = served.flink.run(rm.start_request(
        "GET", f"{base}/v1/jobs/{served.job}/savepoints/{trigger}"))
    assert response.json()["operation"]["location"].startswith("hdfs:///via-proxy/savepoint-")


def test_the_cluster_client_stops_a_job_over_http_through_the_proxy(tmp_path):
    """``ClusterClient.stop_with_savepoint`` with :class:`RestOverHttp` to the RM web proxy:
    the savepoint's path; a failure is the cluster's exception."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    root = Resource()
    root.putChild(b"proxy", WebProxyResource(flink.rm.client_service,
                                             flink_rest_proxy_targets(flink.yarn.network)))
    http = InMemoryHttpClient({"rm:8088": site(root)})
    client = ClusterClient(app, session.host, session.port,
                           RestOverHttp(http, f"http://rm:8088/proxy/{app}"), flink.clock,
                           ClientLog(flink.events))
    job, master = submit_and_run(flink, session, unbounded_job("remote"))

    location = flink.run(client.stop_with_savepoint(job, "/remote"))

    assert location.startswith("hdfs:///remote/savepoint-")
    assert job_master(flink, app, job).status is JobStatus.FINISHED
    with pytest.raises(RemoteFlinkException) as raised:
        flink.run(client.stop_with_savepoint(job, "/remote"))
    assert raised.value.java_class.endswith("FlinkJobNotFoundException")
    with pytest.raises(RestHandlerException) as raised:
        flink.run(client.stop_with_savepoint(job))
    assert raised.value.status == 400


def test_the_request_body_codec_reads_what_it_writes():
    content_type, body = STOP_WITH_SAVEPOINT_BODY.write("/s", True, "NATIVE", "a" * 32)
    assert content_type.startswith("application/json")
    assert read_stop_with_savepoint(body) == ("/s", True, "NATIVE", "a" * 32)
    assert read_stop_with_savepoint(STOP_WITH_SAVEPOINT_BODY.write()[1]) == (
        None, False, None, None)
    assert read_stop_with_savepoint(b" ") == (None, False, None, None)
    assert read_stop_with_savepoint(b'{"drain": null}') == (None, False, None, None)
