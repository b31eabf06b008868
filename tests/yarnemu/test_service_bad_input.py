"""
Bad input to a running ``twistd -n yarnemu``: each request gets Hadoop's ``RemoteException`` shape
and status, changes nothing, and the service keeps serving.
"""

import time

import pytest
import requests

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.testing.service_process import ServiceProcess


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    running = ServiceProcess.start(tmp_path_factory.mktemp("service"), "--nodes", "2",
                                   "--time-scale", "50")
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def keeps_serving(service):
    yield
    info = requests.get(service.rm + "/ws/v1/cluster/info")
    assert info.status_code == 200
    assert info.json()["clusterInfo"]["state"] == "STARTED"
    assert requests.get(service.webhdfs + "/webhdfs/v1/?op=GETFILESTATUS").status_code == 200


def new_application(service):
    answer = requests.post(service.rm + "/ws/v1/cluster/apps/new-application")
    assert answer.status_code == 200
    return answer.json()["application-id"]


def submit(service, application_id, command, memory=1024):
    """POST a submission of ``command`` as the AM; :return: the response."""
    return requests.post(service.rm + "/ws/v1/cluster/apps", json={
        "application-id": application_id,
        "am-container-spec": {"commands": {"command": command}},
        "resource": {"memory": memory, "vCores": 1},
    })


def remote_exception(answer, status, exception):
    assert answer.status_code == status, answer.text
    body = answer.json()["RemoteException"]
    assert body["exception"] == exception
    assert body["javaClassName"].endswith("." + exception)
    return body["message"]


def assert_not_submitted(service, application_id):
    answer = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}")
    assert remote_exception(answer, 404, "NotFoundException") == (
        f"java.lang.Exception: app with id: {application_id} not found")


def test_malformed_json_is_a_400_and_submits_nothing(service):
    application_id = new_application(service)
    answer = requests.post(service.rm + "/ws/v1/cluster/apps",
                           data=b'{"application-id": "' + application_id.encode() + b'", bad',
                           headers={"Content-Type": "application/json"})
    message = remote_exception(answer, 400, "WebApplicationException")
    assert "not valid JSON" in message
    assert_not_submitted(service, application_id)


def test_an_invalid_resource_request_is_a_400_and_submits_nothing(service):
    application_id = new_application(service)
    answer = submit(service, application_id, "sleep 10", memory=10 ** 6)
    assert remote_exception(answer, 400, "BadRequestException") == (
        "java.lang.Exception: Requested more memory than configured max")
    assert_not_submitted(service, application_id)


def test_a_program_off_the_allow_list_is_a_400_and_submits_nothing(service):
    application_id = new_application(service)
    answer = submit(service, application_id, "curl http://example.com")
    message = remote_exception(answer, 400, "BadRequestException")
    assert "names program 'curl', which is not allow-listed" in message
    assert_not_submitted(service, application_id)


@pytest.mark.parametrize("path, status, exception, message", [
    ("/ws/v1/cluster/apps/application_1_0001", 404, "NotFoundException",
     "java.lang.Exception: app with id: application_1_0001 not found"),
    ("/ws/v1/cluster/apps/not-an-id", 400, "BadRequestException",
     "java.lang.IllegalArgumentException: Invalid ApplicationId: not-an-id"),
    ("/ws/v1/cluster/nodes/nohost:1", 404, "NotFoundException",
     "java.lang.Exception: nodeId, nohost:1, is not found"),
    ("/ws/v1/cluster/apps/application_1_0001/appattempts", 404, "NotFoundException",
     "java.lang.Exception: app with id: application_1_0001 not found"),
])
def test_unknown_ids_are_404s_or_400s(service, path, status, exception, message):
    assert remote_exception(requests.get(service.rm + path), status, exception) == message


def test_an_unknown_attempt_is_a_404(service):
    application_id = new_application(service)
    submit(service, application_id, "sleep 1h").raise_for_status()
    attempt = application_id.replace("application_", "appattempt_") + "_000009"
    answer = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}/appattempts/"
                          f"{attempt}/containers")
    message = remote_exception(answer, 404, "NotFoundException")
    assert f"ApplicationAttempt with id '{attempt}' doesn't exist in RM." in message
    requests.put(f"{service.rm}/ws/v1/cluster/apps/{application_id}/state",
                 json={"state": "KILLED"})


def test_killing_a_finished_application_changes_nothing(service):
    application_id = new_application(service)
    submit(service, application_id, distributed_shell_command(1, 256, "true")).raise_for_status()
    url = f"{service.rm}/ws/v1/cluster/apps/{application_id}"
    deadline = time.monotonic() + 30
    while requests.get(url).json()["app"]["state"] != "FINISHED":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    answer = requests.put(url + "/state", json={"state": "KILLED"})
    assert (answer.status_code, answer.json()) == (200, {"state": "FINISHED"})
    app = requests.get(url).json()["app"]
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")


def test_a_target_state_other_than_killed_is_a_400_and_changes_nothing(service):
    application_id = new_application(service)
    submit(service, application_id, "sleep 1h").raise_for_status()
    url = f"{service.rm}/ws/v1/cluster/apps/{application_id}/state"
    answer = requests.put(url, json={"state": "RUNNING"})
    assert remote_exception(answer, 400, "BadRequestException") == (
        "java.lang.Exception: Only 'KILLED' is allowed as a target state.")
    assert requests.get(url).json()["state"] in ("SUBMITTED", "ACCEPTED")
    requests.put(url, json={"state": "KILLED"})


@pytest.mark.parametrize("path", [
    "/webhdfs/v1/%2E%2E/%2E%2E/etc/passwd?op=OPEN",
    "/webhdfs/v1/user/../../etc?op=LISTSTATUS",
])
def test_a_path_escaping_the_hdfs_root_is_refused(service, path):
    # Sent as written: requests would resolve the dot segments itself.
    session = requests.Session()
    prepared = requests.Request("GET", service.webhdfs + "/x").prepare()
    prepared.url = service.webhdfs + path
    message = remote_exception(session.send(prepared), 400, "InvalidPathException")
    assert message.startswith("Invalid path name Invalid file name: /")


def test_escaping_through_rename_is_refused_and_nothing_moves(service):
    requests.put(service.webhdfs + "/webhdfs/v1/tmp/keep?op=MKDIRS&user.name=alice")
    answer = requests.put(service.webhdfs + "/webhdfs/v1/tmp/keep?op=RENAME&user.name=alice"
                          "&destination=/../../outside")
    assert remote_exception(answer, 403, "IOException") == "Invalid name: /../../outside"
    status = requests.get(service.webhdfs + "/webhdfs/v1/tmp/keep?op=GETFILESTATUS")
    assert status.json()["FileStatus"]["type"] == "DIRECTORY"


def test_an_unknown_webhdfs_op_is_a_400(service):
    answer = requests.get(service.webhdfs + "/webhdfs/v1/tmp?op=FROBNICATE")
    assert remote_exception(answer, 400, "IllegalArgumentException") == (
        'Invalid value for webhdfs parameter "op": FROBNICATE is not a valid GET operation.')


def test_a_missing_file_is_hdfs_wording(service):
    answer = requests.get(service.webhdfs + "/webhdfs/v1/no/such/file?op=GETFILESTATUS")
    assert remote_exception(answer, 404, "FileNotFoundException") == (
        "File does not exist: /no/such/file")
