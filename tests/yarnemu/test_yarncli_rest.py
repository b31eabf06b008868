"""
Tests for :mod:`yarnemu.yarncli.rest`: the RM REST reader over a scripted ``send``.
"""

import urllib.error

import pytest

from tests.yarnemu.rm_rest_fixtures import ScriptedRm, app_json, node_json, not_found
from yarnemu.records.ids import ApplicationId, NodeId
from yarnemu.yarncli.rest import (
    DEFAULT_RM_URL,
    RmNotFound,
    RmRest,
    RmRestError,
    RmUnreachable,
    resolve_rm_url,
)

APPS = "/ws/v1/cluster/apps"


def test_applications_sends_the_filters_and_reads_the_list():
    """GET /apps carries states, applicationTypes, applicationTags comma-joined; apps in order."""
    rm = ScriptedRm({("GET", APPS): (200, {"apps": {"app": [app_json(2), app_json(1)]}})})
    apps = RmRest("http://rm:8088/", send=rm).applications(
        ["ACCEPTED", "RUNNING"], ["APACHE FLINK", "MAPREDUCE"], ["prod"])
    assert [app["id"] for app in apps] == [app_json(2)["id"], app_json(1)["id"]]
    assert rm.requests == [("GET", APPS, {"states": "ACCEPTED,RUNNING",
                                          "applicationTypes": "APACHE FLINK,MAPREDUCE",
                                          "applicationTags": "prod"}, None)]


@pytest.mark.parametrize("body", [{"apps": None}, {"apps": {}}, {"apps": {"app": []}}])
def test_applications_empty_shapes(body):
    """{"apps": null} (Hadoop's empty list) and its variants read as no applications."""
    rm = ScriptedRm({("GET", APPS): (200, body)})
    assert RmRest("http://rm:8088", send=rm).applications() == []
    assert rm.requests[0][2] == {}


def test_a_lone_object_is_a_list_of_one():
    """A list of one sent as the bare object reads as a list of one."""
    rm = ScriptedRm({("GET", APPS): (200, {"apps": {"app": app_json(1)}})})
    assert len(RmRest("http://rm:8088", send=rm).applications()) == 1


def test_application_and_not_found():
    """GET /apps/{id} reads {"app": ...}; a 404 RemoteException raises RmNotFound with its text."""
    app_id = ApplicationId(1476912658570, 1)
    rm = ScriptedRm({("GET", f"{APPS}/{app_id}"): (200, {"app": app_json(1)})})
    rest = RmRest("http://rm:8088", send=rm)
    assert rest.application(app_id)["id"] == str(app_id)
    with pytest.raises(RmNotFound) as raised:
        rest.application(ApplicationId(1476912658570, 9))
    assert raised.value.status == 404
    assert raised.value.java_class == "org.apache.hadoop.yarn.webapp.NotFoundException"
    assert raised.value.message.startswith("java.lang.Exception: no route")


def test_kill_puts_killed_and_tells_whether_it_is_complete():
    """PUT /apps/{id}/state {"state": "KILLED"}: 202 is under way, 200 complete."""
    app_id = ApplicationId(1476912658570, 1)
    path = f"{APPS}/{app_id}/state"
    rm = ScriptedRm({("PUT", path): [(202, {"state": "RUNNING"}), (200, {"state": "KILLED"})]})
    rest = RmRest("http://rm:8088", send=rm)
    assert rest.kill_application(app_id) is False
    assert rest.kill_application(app_id) is True
    assert rm.requests == [("PUT", path, {}, {"state": "KILLED"})] * 2


def test_nodes_and_node():
    """GET /nodes carries states; GET /nodes/{id} reads {"node": ...}, 404 raises RmNotFound."""
    rm = ScriptedRm({
        ("GET", "/ws/v1/cluster/nodes"): (200, {"nodes": {"node": [node_json("nm1")]}}),
        ("GET", "/ws/v1/cluster/nodes/nm1:45454"): (200, {"node": node_json("nm1")}),
        ("GET", "/ws/v1/cluster/nodes/nm9:1"): not_found("nodeId, nm9:1, is not found"),
    })
    rest = RmRest("http://rm:8088", send=rm)
    assert [n["id"] for n in rest.nodes(["RUNNING", "LOST"])] == ["nm1:45454"]
    assert rm.requests[0][2] == {"states": "RUNNING,LOST"}
    assert rest.node(NodeId("nm1", 45454))["id"] == "nm1:45454"
    with pytest.raises(RmNotFound):
        rest.node(NodeId("nm9", 1))
    empty = ScriptedRm({("GET", "/ws/v1/cluster/nodes"): (200, {"nodes": None})})
    assert RmRest("http://rm:8088", send=empty).nodes() == []


def test_errors_that_are_not_remote_exceptions():
    """A 500 without a RemoteException, or a 200 that is not JSON, raises RmRestError."""
    def send(method, url, body, headers):
        return (500, b"<html>boom</html>") if "apps" in url else (200, b"<html>not json")
    rest = RmRest("http://rm:8088", send=send)
    with pytest.raises(RmRestError) as raised:
        rest.applications()
    assert raised.value.status == 500 and "boom" in raised.value.message
    with pytest.raises(RmRestError):
        rest.nodes()


def test_connection_failures_raise_rm_unreachable():
    """An OSError from send (refused, timed out, no such host) raises RmUnreachable."""
    def refused(method, url, body, headers):
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
    with pytest.raises(RmUnreachable) as raised:
        RmRest("http://rm:8088", send=refused).applications()
    assert raised.value.url == "http://rm:8088"
    assert raised.value.reason == "Connection refused"


def test_resolve_rm_url_falls_back_to_the_services_endpoints_file(tmp_path):
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text('{"rm": "http://127.0.0.1:41000", "webhdfs": "http://127.0.0.1:41001"}')
    environ = {"YARNEMU_ENDPOINTS": str(endpoints)}
    assert resolve_rm_url(None, environ) == "http://127.0.0.1:41000"
    assert resolve_rm_url(None, {**environ, "YARNEMU_RM": "rm:9999"}) == "http://rm:9999"


def test_resolve_rm_url():
    """--rm wins over $YARNEMU_RM over the default; a bare host:port gets http://."""
    assert resolve_rm_url(None, {}) == DEFAULT_RM_URL == "http://127.0.0.1:8088"
    assert resolve_rm_url(None, {"YARNEMU_RM": "rm:9999"}) == "http://rm:9999"
    assert resolve_rm_url("https://a:1/", {"YARNEMU_RM": "rm:9999"}) == "https://a:1"


def test_application_attempts_and_attempt_report():
    """GET /apps/{id}/appattempts lists AppAttemptInfo; /appattempts/{id} reads "appAttempt"."""
    from tests.yarnemu.rm_rest_fixtures import CLUSTER_TS, attempt_routes

    app_id = f"application_{CLUSTER_TS}_0001"
    rest = RmRest("http://rm:8088", send=ScriptedRm(attempt_routes(1, "http://am:1", 2)))
    attempts = rest.application_attempts(app_id)
    assert [a["appAttemptId"] for a in attempts] == [f"appattempt_{CLUSTER_TS}_0001_000001",
                                                     f"appattempt_{CLUSTER_TS}_0001_000002"]
    report = rest.application_attempt(app_id, attempts[-1]["appAttemptId"])
    assert report["originalTrackingUrl"] == "http://am:1"
    with pytest.raises(RmNotFound):
        rest.application_attempt(app_id, attempts[0]["appAttemptId"])
