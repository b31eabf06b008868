"""
``twistd -n yarnemu`` as a process on port 0, driven by unchanged third-party clients from PyPI:
``yarn-api-client`` on the RM REST API, ``hdfs`` (HdfsCLI) and fsspec's ``WebHDFS`` on WebHDFS.
"""

import os
import signal
import time

import pytest
import requests
from fsspec.implementations.webhdfs import WebHDFS
from hdfs import InsecureClient
from yarn_api_client import ResourceManager
from yarn_api_client.errors import APIError

from yarnemu.testing.service_process import ServiceProcess
from yarnemu.programs.distributed_shell import distributed_shell_command

# 50× real time: NodeManager heartbeats every 20 ms, a `sleep 30` container takes 0.6 s.
TIME_SCALE = "50"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    running = ServiceProcess.start(tmp_path_factory.mktemp("service"), "--nodes", "3",
                                   "--time-scale", TIME_SCALE)
    yield running
    running.stop()


def wait_for(predicate, timeout=30, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {predicate}")
        time.sleep(interval)


def submission(application_id, command, name="shell", **extra):
    return {
        "application-id": application_id,
        "application-name": name,
        "queue": "default",
        "am-container-spec": {"commands": {"command": command}},
        "resource": {"memory": 1024, "vCores": 1},
        "application-type": "YARN",
        **extra,
    }


# yarn-api-client


@pytest.fixture(scope="module")
def rm(service):
    return ResourceManager(service_endpoints=[service.rm])


def test_yarn_api_client_finds_the_active_rm_and_reads_the_cluster(service, rm):
    assert rm.cluster_information().data["clusterInfo"]["state"] == "STARTED"
    wait_for(lambda: rm.cluster_metrics().data["clusterMetrics"]["activeNodes"] == 3)
    nodes = rm.cluster_nodes(states=["RUNNING"]).data["nodes"]["node"]
    assert sorted(node["id"] for node in nodes) == [f"node-{i}:45454" for i in range(3)]
    assert rm.cluster_scheduler().data["scheduler"]["schedulerInfo"] is not None


def test_yarn_api_client_submits_follows_and_finishes_an_application(rm):
    new = rm.cluster_new_application().data
    application_id = new["application-id"]
    assert new["maximum-resource-capability"]["memory"] > 0
    command = distributed_shell_command(2, 512, "sleep", "30")
    response = rm.cluster_submit_application(submission(application_id, command))
    assert response.data == {}
    app = rm.cluster_application(application_id).data["app"]
    assert (app["id"], app["name"], app["applicationType"]) == (application_id, "shell", "YARN")
    wait_for(lambda: rm.cluster_application(application_id).data["app"]["state"] == "FINISHED")
    app = rm.cluster_application(application_id).data["app"]
    assert app["finalStatus"] == "SUCCEEDED"
    attempts = rm.cluster_application_attempts(application_id).data["appAttempts"]["appAttempt"]
    assert [attempt["id"] for attempt in attempts] == [1]
    listed = rm.cluster_applications(states=["FINISHED"], application_types=["YARN"]).data
    assert application_id in [a["id"] for a in listed["apps"]["app"]]
    # /state is the internal RMAppState: FINISHING until the AM container has exited.
    wait_for(lambda: rm.cluster_application_state(application_id).data == {"state": "FINISHED"})


def test_yarn_api_client_kills_a_running_application(service, rm):
    application_id = rm.cluster_new_application().data["application-id"]
    rm.cluster_submit_application(
        submission(application_id, distributed_shell_command(1, 512, "sleep", "1h"), "long"))
    wait_for(lambda: rm.cluster_application(application_id).data["app"]["state"] == "RUNNING")
    rm.cluster_application_kill(application_id)
    wait_for(lambda: rm.cluster_application_state(application_id).data["state"] == "KILLED")
    app = rm.cluster_application(application_id).data["app"]
    assert (app["state"], app["finalStatus"]) == ("KILLED", "KILLED")
    assert f"{application_id} State change from RUNNING to KILLING on event = KILL" in (
        service.log())


def test_yarn_api_client_sees_errors_as_api_errors(rm):
    with pytest.raises(APIError, match="404"):
        rm.cluster_application("application_1_0001")


# WebHDFS clients


def make_tree(root):
    files = {
        "a.txt": b"alpha\n",
        "lib/b.bin": os.urandom(3 * 1024 * 1024 + 7),
        "lib/nested/c.txt": b"",
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def test_hdfscli_uploads_lists_reads_renames_and_deletes(service, tmp_path):
    client = InsecureClient(service.webhdfs, user="alice")
    local = tmp_path / "tree"
    files = make_tree(local)
    client.makedirs("/user/alice/hdfscli")
    client.upload("/user/alice/hdfscli/tree", str(local))
    assert sorted(client.list("/user/alice/hdfscli/tree")) == ["a.txt", "lib"]
    status = client.status("/user/alice/hdfscli/tree/lib/b.bin")
    assert (status["type"], status["length"], status["owner"]) == (
        "FILE", len(files["lib/b.bin"]), "alice")
    for relative, content in files.items():
        with client.read(f"/user/alice/hdfscli/tree/{relative}") as reader:
            assert reader.read() == content
    client.rename("/user/alice/hdfscli/tree", "/user/alice/hdfscli/moved")
    assert client.status("/user/alice/hdfscli/tree", strict=False) is None
    assert client.delete("/user/alice/hdfscli", recursive=True) is True
    assert client.status("/user/alice/hdfscli", strict=False) is None


def test_fsspec_webhdfs_uploads_lists_reads_renames_and_deletes(service, tmp_path):
    host, port = service.webhdfs.rsplit("//", 1)[1].rsplit(":", 1)
    fs = WebHDFS(host, port=int(port), user="bob")
    local = tmp_path / "tree"
    files = make_tree(local)
    fs.makedirs("/user/bob/fsspec", exist_ok=True)
    fs.put(str(local), "/user/bob/fsspec/tree", recursive=True)
    names = sorted(fs.ls("/user/bob/fsspec/tree"))
    assert names == ["/user/bob/fsspec/tree/a.txt", "/user/bob/fsspec/tree/lib"]
    info = fs.info("/user/bob/fsspec/tree/lib/b.bin")
    assert (info["type"], info["size"]) == ("file", len(files["lib/b.bin"]))
    for relative, content in files.items():
        assert fs.cat_file(f"/user/bob/fsspec/tree/{relative}") == content
    fs.mv("/user/bob/fsspec/tree/a.txt", "/user/bob/fsspec/a-moved.txt")
    assert not fs.exists("/user/bob/fsspec/tree/a.txt")
    assert fs.cat_file("/user/bob/fsspec/a-moved.txt") == files["a.txt"]
    fs.rm("/user/bob/fsspec", recursive=True)
    assert not fs.exists("/user/bob/fsspec")


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_a_200_mb_chunked_upload_is_streamed_not_buffered(service):
    """HdfsCLI writes from a generator (chunked); the service's peak memory barely moves."""
    client = InsecureClient(service.webhdfs, user="alice")
    chunk = bytes(range(256)) * 4096  # 1 MiB
    before = peak_rss_kb(service.process.pid)
    client.write("/user/alice/big.bin", data=(chunk for _ in range(200)), overwrite=True)
    grown_mb = (peak_rss_kb(service.process.pid) - before) / 1024
    assert client.status("/user/alice/big.bin")["length"] == 200 * len(chunk)
    with client.read("/user/alice/big.bin", offset=150 * len(chunk), length=len(chunk)) as reader:
        assert reader.read() == chunk
    assert grown_mb < 50, f"the service's peak RSS grew by {grown_mb:.0f} MB"
    client.delete("/user/alice/big.bin")


# The process


def test_sigterm_stops_the_service_cleanly(tmp_path):
    service = ServiceProcess.start(tmp_path, "--nodes", "1")
    assert requests.get(service.rm + "/ws/v1/cluster/info").status_code == 200
    # twistd stops the reactor, then ends by the same signal, so the parent sees it.
    assert service.stop(signal.SIGTERM) == -signal.SIGTERM
    assert not os.path.exists(service.endpoints_file)
    assert "yarnemu: stopped" in service.log()


def test_a_port_in_use_is_one_clear_error(service, tmp_path):
    port = service.rm.rsplit(":", 1)[1]
    other = tmp_path / "other"
    with pytest.raises(RuntimeError) as raised:
        ServiceProcess.start(other, "--rm-listen", f"tcp:{port}:interface=127.0.0.1",
                             timeout=30)
    assert f"yarnemu: cannot listen on tcp:{port}:interface=127.0.0.1 (--rm-listen)" in str(
        raised.value)
