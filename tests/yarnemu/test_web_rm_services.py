"""
Tests of the RM REST API's application operations: the state (GET, and PUT to kill: 202 then
200), new application ids, one application, its attempts and containers, and the errors of
each (malformed ids 400, unknown ones 404, mismatched ones 404), all over HTTP.
"""

import pytest

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.records.ids import ApplicationAttemptId, ContainerId
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import EPOCH_MS, RunningCluster

CLUSTER = "/ws/v1/cluster"


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=2)


@pytest.fixture
def web(running):
    return HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))


def error_of(response, status):
    assert response.status == status, response.body
    assert response.header("Content-Type") == "application/json"
    return response.json()["RemoteException"]


def put_state(web, application_id, value, user=None):
    query = f"?user.name={user}" if user else ""
    return web.json_request("PUT", f"{CLUSTER}/apps/{application_id}/state{query}", value)


def running_app(running, containers=1):
    application_id = running.submit(distributed_shell_command(containers, 512, "sleep", "600"))
    running.run_until_app_state(application_id, RMAppState.RUNNING)
    return application_id


# State


def test_get_state_answers_the_internal_state(running, web):
    """GET /state is the internal RMAppState: NEW_SAVING, FINAL_SAVING, KILLING show through."""
    application_id = running.submit("sleep 600")
    assert web.get(f"{CLUSTER}/apps/{application_id}/state").json() == {"state": "NEW_SAVING"}
    running.advance(0.5)
    assert web.get(f"{CLUSTER}/apps/{application_id}/state").json() == {"state": "ACCEPTED"}


def test_kill_is_202_while_under_way_then_200(running, web):
    application_id = running_app(running)
    response = put_state(web, application_id, {"state": "KILLED"})
    assert response.status == 202
    assert response.header("Location") == (
        f"http://127.0.0.1:8088{CLUSTER}/apps/{application_id}/state"
    )
    assert response.json()["state"] == running.app(application_id).state.value
    assert running.app(application_id).state in (RMAppState.KILLING, RMAppState.FINAL_SAVING)
    # Repeating the PUT while the kill is under way is 202 again.
    assert put_state(web, application_id, {"state": "KILLED"}).status == 202
    running.run_until_app_state(application_id, RMAppState.KILLED)
    response = put_state(web, application_id, {"state": "KILLED"})
    assert (response.status, response.json()) == (200, {"state": "KILLED"})
    app = web.get(f"{CLUSTER}/apps/{application_id}").json()["app"]
    assert (app["state"], app["finalStatus"]) == ("KILLED", "KILLED")
    assert app["diagnostics"] == f"Application {application_id} was killed by user dr.who"


def test_kill_names_the_caller_and_its_diagnostics(running, web):
    application_id = running_app(running)
    response = put_state(web, application_id,
                         {"state": "KILLED", "diagnostics": "  wrong jar  "}, user="bob")
    assert response.status == 202
    running.run_until_app_state(application_id, RMAppState.KILLED)
    assert running.app(application_id).diagnostics == (
        f"Application {application_id} was killed by user bob with diagnostic message: wrong jar"
    )


def test_kill_of_an_application_waiting_to_be_saved(running, web):
    application_id = running.submit("sleep 600")
    assert put_state(web, application_id, {"state": "KILLED"}).status == 202
    running.advance(1)
    assert put_state(web, application_id, {"state": "KILLED"}).json() == {"state": "KILLED"}


def test_kill_of_a_finished_application_is_200_with_its_state(running, web):
    """As Hadoop: the kill is complete at once (nothing to kill); the state stays FINISHED."""
    application_id = running.submit(distributed_shell_command(1, 512, "sleep", "1"))
    running.run_until_app_state(application_id, RMAppState.FINISHED)
    response = put_state(web, application_id, {"state": "KILLED"})
    assert (response.status, response.json()) == (200, {"state": "FINISHED"})
    assert running.app(application_id).state is RMAppState.FINISHED


def test_put_of_the_current_state_changes_nothing(running, web):
    application_id = running_app(running)
    response = put_state(web, application_id, {"state": "RUNNING"})
    assert (response.status, response.json()) == (200, {"state": "RUNNING"})
    assert running.app(application_id).state is RMAppState.RUNNING


@pytest.mark.parametrize("target", ["FINISHED", "killed", None, 3])
def test_put_of_another_state_is_400(running, web, target):
    application_id = running_app(running)
    error = error_of(put_state(web, application_id, {"state": target}), 400)
    assert error["exception"] == "BadRequestException"
    assert error["message"] == "java.lang.Exception: Only 'KILLED' is allowed as a target state."
    assert running.app(application_id).state is RMAppState.RUNNING


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff"])
def test_put_of_a_body_that_is_not_a_json_object_is_400(running, web, body):
    application_id = running_app(running)
    response = web.put(f"{CLUSTER}/apps/{application_id}/state", body,
                       headers={"Content-Type": "application/json"})
    error = error_of(response, 400)
    assert error["javaClassName"] == "javax.ws.rs.WebApplicationException"
    assert error["message"].startswith("javax.xml.bind.UnmarshalException")
    assert running.app(application_id).state is RMAppState.RUNNING


def test_state_of_an_unknown_or_malformed_application(web):
    error = error_of(web.get(f"{CLUSTER}/apps/application_1_0042/state"), 404)
    assert error["message"] == "java.lang.Exception: app with id: application_1_0042 not found"
    error = error_of(put_state(web, "application_1_0042", {"state": "KILLED"}), 404)
    assert error["message"] == "java.lang.Exception: app with id: application_1_0042 not found"
    error = error_of(web.get(f"{CLUSTER}/apps/application_x/state"), 400)
    assert error == {
        "exception": "BadRequestException",
        "javaClassName": "org.apache.hadoop.yarn.webapp.BadRequestException",
        "message": "java.lang.IllegalArgumentException: Invalid ApplicationId: application_x",
    }


# New applications


def test_new_application_hands_out_ids_and_the_maximum_capability(web):
    first = web.post(f"{CLUSTER}/apps/new-application",
                     headers={"Content-Type": "application/json"})
    second = web.post(f"{CLUSTER}/apps/new-application")
    assert first.status == 200
    assert first.json() == {
        "application-id": f"application_{EPOCH_MS}_0001",
        "maximum-resource-capability": {"memory": 8192, "vCores": 4},
    }
    assert second.json()["application-id"] == f"application_{EPOCH_MS}_0002"


# One application


def test_one_application(running, web):
    application_id = running_app(running)
    response = web.get(f"{CLUSTER}/apps/{application_id}")
    assert response.status == 200
    app = response.json()["app"]
    assert (app["id"], app["state"], app["user"]) == (str(application_id), "RUNNING", "alice")
    error = error_of(web.get(f"{CLUSTER}/apps/application_{EPOCH_MS}_0042"), 404)
    assert error["message"] == (
        f"java.lang.Exception: app with id: application_{EPOCH_MS}_0042 not found"
    )
    error = error_of(web.get(f"{CLUSTER}/apps/app_1_1"), 400)
    assert error["message"] == "java.lang.IllegalArgumentException: Invalid ApplicationId: app_1_1"


# Attempts and containers


def test_attempts_list_and_one_attempt(running, web):
    application_id = running_app(running)
    attempts = web.get(f"{CLUSTER}/apps/{application_id}/appattempts").json()
    (listed,) = attempts["appAttempts"]["appAttempt"]
    attempt_id = ApplicationAttemptId(application_id, 1)
    master = running.app(application_id).current_attempt.master_container
    assert listed == {
        "id": 1,
        "startTime": running.app(application_id).current_attempt.start_time,
        "finishedTime": 0,
        "containerId": str(master.container_id),
        "nodeHttpAddress": master.container.node_http_address,
        "nodeId": str(master.node_id),
        "logsLink": (f"http://{master.container.node_http_address}/node/containerlogs/"
                     f"{master.container_id}/alice"),
        "blacklistedNodes": "",
        "nodesBlacklistedBySystem": "",
        "appAttemptId": str(attempt_id),
    }
    one = web.get(f"{CLUSTER}/apps/{application_id}/appattempts/{attempt_id}").json()
    assert one["appAttempt"]["appAttemptState"] == "RUNNING"
    assert one["appAttempt"]["amContainerId"] == str(master.container_id)
    assert one["appAttempt"]["trackingUrl"] == f"http://localhost:8088/proxy/{application_id}/"


def test_attempts_of_an_application_not_yet_started_is_null(running, web):
    application_id = running.submit("sleep 600")
    assert web.get(f"{CLUSTER}/apps/{application_id}/appattempts").json() == {
        "appAttempts": None,
    }


def test_attempt_errors(running, web):
    application_id = running_app(running)
    other = running.submit("sleep 600")
    prefix = f"{CLUSTER}/apps/{application_id}/appattempts"
    error = error_of(web.get(f"{prefix}/{ApplicationAttemptId(other, 1)}"), 404)
    assert error["message"] == "java.lang.Exception: appId and appAttemptId don't match"
    missing = ApplicationAttemptId(application_id, 7)
    error = error_of(web.get(f"{prefix}/{missing}"), 404)
    assert error["exception"] == "NotFoundException"
    assert error["message"] == (
        "org.apache.hadoop.yarn.exceptions.ApplicationAttemptNotFoundException: "
        f"ApplicationAttempt with id '{missing}' doesn't exist in RM."
    )
    error = error_of(web.get(f"{prefix}/attempt_7"), 400)
    assert error["message"] == "java.lang.IllegalArgumentException: Invalid AppAttemptId: attempt_7"
    unknown = f"application_{EPOCH_MS}_0042"
    error = error_of(web.get(f"{CLUSTER}/apps/{unknown}/appattempts"), 404)
    assert error["message"] == f"java.lang.Exception: app with id: {unknown} not found"
    error = error_of(web.get(f"{CLUSTER}/apps/{unknown}/appattempts/appattempt_{EPOCH_MS}_0042_"
                             "000001"), 404)
    assert error["message"].startswith(
        "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException: Application with id "
    )


def test_containers_of_an_attempt_and_one_container(running, web):
    application_id = running_app(running, containers=2)
    running.advance(5)
    attempt_id = ApplicationAttemptId(application_id, 1)
    prefix = f"{CLUSTER}/apps/{application_id}/appattempts/{attempt_id}/containers"
    containers = web.get(prefix).json()["containers"]["container"]
    assert [c["containerId"] for c in containers] == [
        str(ContainerId(attempt_id, n)) for n in (1, 2, 3)
    ]
    first = containers[0]
    assert first["allocatedMB"] == 1024 and first["allocatedVCores"] == 1
    assert first["containerState"] == "RUNNING" and first["containerExitStatus"] == -1000
    assert first["finishedTime"] == 0
    assert first["elapsedTime"] == running.rm.now() - first["startedTime"]
    assert first["logUrl"] == (f"http://{first['nodeHttpAddress']}/node/containerlogs/"
                               f"{first['containerId']}/alice")
    one = web.get(f"{prefix}/{ContainerId(attempt_id, 2)}").json()
    assert one == {"container": containers[1]}


def test_container_errors(running, web):
    application_id = running_app(running)
    attempt_id = ApplicationAttemptId(application_id, 1)
    prefix = f"{CLUSTER}/apps/{application_id}/appattempts/{attempt_id}/containers"
    missing = ContainerId(attempt_id, 99)
    error = error_of(web.get(f"{prefix}/{missing}"), 404)
    assert error["message"] == (
        "org.apache.hadoop.yarn.exceptions.ContainerNotFoundException: "
        f"Container with id '{missing}' doesn't exist in RM."
    )
    other = ContainerId(ApplicationAttemptId(application_id, 2), 1)
    error = error_of(web.get(f"{prefix}/{other}"), 404)
    assert error["message"] == "java.lang.Exception: appAttemptId and containerId don't match"
    error = error_of(web.get(f"{prefix}/container_x"), 400)
    assert error["message"] == ("java.lang.IllegalArgumentException: Invalid ContainerId: "
                                "container_x")
    error = error_of(web.get(f"{CLUSTER}/apps/{application_id}/appattempts/"
                             f"{ApplicationAttemptId(application_id, 5)}/containers"), 404)
    assert "ApplicationAttemptNotFoundException" in error["message"]


def test_app_statistics_count_applications_by_state_and_type(running, web):
    running.submit("sleep 600", application_type="Apache Flink")
    running.submit("sleep 600", application_type="MAPREDUCE")
    running.advance(1)
    stats = web.get(f"{CLUSTER}/appstatistics?states=accepted,running").json()
    assert stats == {"appStatInfo": {"statItem": [
        {"state": "ACCEPTED", "type": "*", "count": 2},
        {"state": "RUNNING", "type": "*", "count": 0},
    ]}}
    stats = web.get(f"{CLUSTER}/appstatistics?applicationTypes=apache%20flink").json()
    items = {item["state"]: item["count"] for item in stats["appStatInfo"]["statItem"]}
    assert items["ACCEPTED"] == 1 and len(items) == 8
    error = error_of(web.get(f"{CLUSTER}/appstatistics?applicationTypes=a,b"), 400)
    assert error["message"] == ("java.lang.Exception: # of applicationTypes = 2, we temporarily "
                                "support at most one applicationType")
