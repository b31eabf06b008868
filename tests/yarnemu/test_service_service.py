"""
:class:`YarnEmuService` composed in-process: what it binds, the endpoints file, the RM web address
the cluster is told, time scale, start-up errors and shutdown.
"""

import json
import os

import pytest
from twisted.internet.testing import MemoryReactorClock

from tests.http_harness import HttpClient
from yarnemu.cluster import NodeGroup
from yarnemu.nodemanager.process_executor import ProcessContainerExecutor
from yarnemu.programs import builtin_programs
from yarnemu.service.options import ServiceSettings
from yarnemu.service.scaled_clock import ScaledClock
from yarnemu.service.service import ServiceStartError, YarnEmuService


def settings(tmp_path, **overrides):
    values = dict(
        node_groups=(NodeGroup(2),),
        yarn_config={},
        rm_listen="tcp:8188:interface=127.0.0.1",
        webhdfs_listen="tcp:9970:interface=127.0.0.1",
        data_dir=str(tmp_path / "data"),
        endpoints_file=str(tmp_path / "endpoints.json"),
    )
    values.update(overrides)
    return ServiceSettings(**values)


def started(tmp_path, **overrides):
    reactor = MemoryReactorClock()
    service = YarnEmuService(settings(tmp_path, **overrides), reactor, builtin_programs())
    service.privilegedStartService()
    service.startService()
    return reactor, service


def site_on(reactor, port):
    for bound_port, factory, _, interface in reactor.tcpServers:
        if bound_port == port:
            assert interface == "127.0.0.1"
            return factory
    raise AssertionError(f"nothing listens on {port}")


def test_it_listens_on_both_endpoints_and_writes_them(tmp_path):
    reactor, service = started(tmp_path)
    assert [(port, interface) for port, _, _, interface in reactor.tcpServers] == [
        (8188, "127.0.0.1"), (9970, "127.0.0.1")]
    urls = json.loads((tmp_path / "endpoints.json").read_text())
    assert urls == service.urls
    assert set(urls) == {"rm", "webhdfs"}
    assert all(url.startswith("http://127.0.0.1:") for url in urls.values())


def test_the_rm_site_serves_the_cluster_rest_api(tmp_path):
    reactor, service = started(tmp_path)
    client = HttpClient(site_on(reactor, 8188))
    info = client.get("/ws/v1/cluster/info")
    assert info.status == 200
    assert info.json()["clusterInfo"]["state"] == "STARTED"
    reactor.advance(2)
    nodes = client.get("/ws/v1/cluster/nodes").json()["nodes"]["node"]
    assert sorted(node["nodeHostName"] for node in nodes) == ["node-0", "node-1"]


def test_the_webhdfs_site_serves_the_clusters_fake_hdfs(tmp_path):
    reactor, service = started(tmp_path)
    service.cluster.filesystem.mkdirs("/user/alice", "alice")
    client = HttpClient(site_on(reactor, 9970))
    listing = client.get("/webhdfs/v1/user?op=LISTSTATUS&user.name=alice").json()
    assert [s["pathSuffix"] for s in listing["FileStatuses"]["FileStatus"]] == ["alice"]


def test_the_cluster_is_told_the_bound_rm_address(tmp_path):
    _, service = started(tmp_path)
    assert service.cluster.rm.webapp_address == service.urls["rm"].split("://")[1]


def test_a_time_scale_runs_the_cluster_on_a_scaled_clock(tmp_path):
    _, service = started(tmp_path, time_scale=20.0)
    assert isinstance(service.cluster.clock, ScaledClock)
    assert service.cluster.clock.scale == 20.0
    _, plain = started(tmp_path / "plain", time_scale=1.0)
    assert not isinstance(plain.cluster.clock, ScaledClock)


def test_stopping_removes_the_endpoints_file_and_closes_the_ports(tmp_path):
    reactor, service = started(tmp_path)
    service.stopService()
    assert not (tmp_path / "endpoints.json").exists()
    assert all(not nm.running for nm in service.cluster.node_managers.values())


def test_without_a_data_dir_a_temporary_one_is_used_and_removed(tmp_path):
    reactor, service = started(tmp_path, data_dir=None)
    data_dir = service.cluster.data_dir
    assert os.path.isdir(os.path.join(data_dir, "hdfs"))
    service.stopService()
    assert not os.path.exists(data_dir)


def test_an_invalid_endpoint_is_one_clear_error(tmp_path):
    service = YarnEmuService(settings(tmp_path, rm_listen="carrier-pigeon:1"),
                             MemoryReactorClock(), builtin_programs())
    with pytest.raises(ServiceStartError, match="--rm-listen 'carrier-pigeon:1' is not a valid"):
        service.privilegedStartService()
    assert not (tmp_path / "endpoints.json").exists()


def test_when_the_second_endpoint_fails_the_first_is_closed_again(tmp_path):
    reactor = MemoryReactorClock()
    service = YarnEmuService(settings(tmp_path, webhdfs_listen="nope:1", data_dir=None),
                             reactor, builtin_programs())
    with pytest.raises(ServiceStartError, match="--webhdfs-listen 'nope:1' is not a valid"):
        service.privilegedStartService()
    assert service._ports == []
    assert not (tmp_path / "endpoints.json").exists()


def test_the_rm_site_serves_the_web_ui_and_prometheus_metrics(tmp_path):
    reactor, service = started(tmp_path)
    reactor.advance(2)
    client = HttpClient(site_on(reactor, 8188))
    page = client.get("/")
    assert page.status == 200 and page.header("Content-Type").startswith("text/html")
    assert "node-0:45454" in page.body.decode()
    metrics = client.get("/metrics")
    assert metrics.header("Content-Type").startswith("text/plain; version=0.0.4")
    active = [line for line in metrics.body.decode().splitlines()
              if line.startswith("cluster_metrics_num_active_n_ms{")]
    assert len(active) == 1 and active[0].endswith(" 2.0")


def test_webhdfs_json_without_content_type_for_the_java_client(tmp_path):
    reactor, service = started(tmp_path, webhdfs_json_content_type=False)
    service.cluster.filesystem.mkdirs("/user/alice", "alice")
    answer = HttpClient(site_on(reactor, 9970)).get("/webhdfs/v1/user/alice?op=GETFILESTATUS")
    assert answer.status == 200
    assert "content-type" not in answer.headers
    assert answer.json()["FileStatus"]["type"] == "DIRECTORY"
    with_type = started(tmp_path / "other")[0]
    typed = HttpClient(site_on(with_type, 9970)).get("/webhdfs/v1/?op=GETFILESTATUS")
    assert list(typed.headers["content-type"]) == ["application/json"]


def test_process_containers_run_on_node_managers_named_as_usual(tmp_path):
    reactor, service = started(tmp_path, container_executor="process",
                               node_groups=(NodeGroup(2, rack="/r1"),))
    executor = service.executor
    assert isinstance(executor, ProcessContainerExecutor)
    managers = service.cluster.node_managers
    assert sorted(managers) == ["node-0", "node-1"]
    assert all(nm.executor is executor and nm.rack == "/r1" for nm in managers.values())
    assert "rpc" not in service.urls
    stopped = []
    service.stopService().addCallback(stopped.append)
    assert len(stopped) == 1
    assert executor.running == 0
