"""
The service with ``--hadoop-rpc``: the RM's client protocol on that endpoint, each NodeManager at
a loopback address of its own with its containers served there, the ``"rpc"`` endpoint, process
containers' Hadoop configuration, and shutdown.  Listening is recorded by a memory reactor that
gives each interface its own ports.
"""

import json

import pytest
from twisted.internet.error import CannotListenError
from twisted.internet.testing import MemoryReactorClock

from tests.deferreds import results_of
from tests.interop.ipc_fixtures import LoopbackListeners, connect_in_memory, descriptors
from yarnemu.cluster import NodeGroup
from yarnemu.ipc.attempt_endpoints import ContainerHadoopConf
from yarnemu.ipc.client import HadoopRpcClient
from yarnemu.ipc.descriptors import (
    APPLICATION_CLIENT_PROTOCOL,
    CONTAINER_MANAGEMENT_PROTOCOL,
    default_descriptors_path,
)
from yarnemu.programs import builtin_programs
from yarnemu.records import ContainerId
from yarnemu.service.options import ServiceSettings
from yarnemu.service.service import ServiceStartError, YarnEmuService


A_CONTAINER = ContainerId.parse("container_1767225600000_0001_01_000002")


class ListeningReactor(MemoryReactorClock):
    """A memory reactor whose ``listenTCP`` gives each interface its own ports."""

    def __init__(self, refuse=()):
        super().__init__()
        self.listeners = LoopbackListeners()
        self._refuse = set(refuse)

    def listenTCP(self, port, factory, backlog=50, interface=""):
        if interface in self._refuse:
            raise CannotListenError(interface, port, OSError("Cannot assign requested address"))
        return self.listeners.listenTCP(port, factory, backlog, interface)


def settings(tmp_path, **overrides):
    values = dict(
        node_groups=(NodeGroup(2, rack="/r1"), NodeGroup(1, memory_mb=2048, rack="/r2")),
        yarn_config={},
        rm_listen="tcp:0:interface=127.0.0.1",
        webhdfs_listen="tcp:0:interface=127.0.0.1",
        data_dir=str(tmp_path / "data"),
        endpoints_file=str(tmp_path / "endpoints.json"),
        hadoop_rpc="tcp:8032:interface=127.0.0.1",
        hadoop_descriptors=default_descriptors_path(),
    )
    values.update(overrides)
    return ServiceSettings(**values)


def started(tmp_path, reactor=None, **overrides):
    reactor = reactor or ListeningReactor()
    service = YarnEmuService(settings(tmp_path, **overrides), reactor, builtin_programs())
    service.privilegedStartService()
    service.startService()
    reactor.advance(2)
    return reactor, service


def call(reactor, address, method, protocol=APPLICATION_CLIENT_PROTOCOL, **fields):
    host, port = address.rsplit(":", 1)
    client = HadoopRpcClient(descriptors(), protocol, "alice")
    pump = connect_in_memory(reactor.listeners.factories[(host, int(port))], (host, int(port)),
                             client)
    request = descriptors().method(protocol, method).request(**fields)
    result = results_of(client.call(method, request))
    pump.flush()
    return result[0]


def test_the_rm_s_rpc_address_is_an_endpoint(tmp_path):
    reactor, service = started(tmp_path)
    assert service.urls["rpc"] == "127.0.0.1:8032"
    assert json.loads((tmp_path / "endpoints.json").read_text())["rpc"] == "127.0.0.1:8032"
    metrics = call(reactor, "127.0.0.1:8032", "getClusterMetrics").cluster_metrics
    assert metrics.num_active_nms == 3


def test_node_managers_listen_at_their_own_loopback_addresses(tmp_path):
    reactor, service = started(tmp_path)
    managers = list(service.cluster.node_managers.values())
    assert [nm.node_id.host for nm in managers] == ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    assert [nm.rack for nm in managers] == ["/r1", "/r1", "/r2"]
    assert managers[2].resource.memory == 2048
    for nm in managers:
        factory = reactor.listeners.factories[(nm.node_id.host, nm.node_id.port)]
        assert set(factory.handlers) == {CONTAINER_MANAGEMENT_PROTOCOL}
    reports = call(reactor, "127.0.0.1:8032", "getClusterNodes").nodeReports
    assert sorted(f"{r.nodeId.host}:{r.nodeId.port}" for r in reports) == sorted(
        str(nm.node_id) for nm in managers)
    statuses = call(reactor, str(managers[0].node_id), "getContainerStatuses",
                    protocol=CONTAINER_MANAGEMENT_PROTOCOL)
    assert list(statuses.status) == []


def test_process_containers_get_the_cluster_s_hadoop_configuration(tmp_path):
    _, service = started(tmp_path, container_executor="process")
    assert isinstance(service.container_conf, ContainerHadoopConf)
    assert all(nm.executor is service.executor
               for nm in service.cluster.node_managers.values())
    files = service.container_conf.files(A_CONTAINER)
    assert "<name>yarn.resourcemanager.address</name><value>127.0.0.1:8032</value>" in files[
        "yarn-site.xml"]
    assert "<name>fs.defaultFS</name><value>file:///</value>" in files["core-site.xml"]
    _, java_ready = started(tmp_path / "java", container_executor="process",
                            webhdfs_json_content_type=False)
    webhdfs = java_ready.urls["webhdfs"].split("://")[1]
    assert f"<value>webhdfs://{webhdfs}</value>" in java_ready.container_conf.files(A_CONTAINER)[
        "core-site.xml"]


def test_without_process_containers_there_is_no_container_configuration(tmp_path):
    _, service = started(tmp_path)
    assert service.executor is None and service.container_conf is None


def test_stopping_closes_every_rpc_listener(tmp_path):
    reactor, service = started(tmp_path)
    assert len(reactor.listeners.factories) == 6  # RM web, WebHDFS, RPC, three NodeManagers
    done = results_of(service.stopService())
    assert done and reactor.listeners.factories == {}


def test_a_node_manager_address_that_does_not_bind_is_one_clear_error(tmp_path):
    reactor = ListeningReactor(refuse={"127.0.0.3"})
    service = YarnEmuService(settings(tmp_path), reactor, builtin_programs())
    with pytest.raises(ServiceStartError) as raised:
        service.privilegedStartService()
    assert "cannot listen for NodeManager 1 on its loopback address" in str(raised.value)
    assert reactor.listeners.factories == {}
    assert not (tmp_path / "endpoints.json").exists()


def test_a_descriptor_set_that_went_missing_is_one_clear_error(tmp_path):
    reactor = ListeningReactor()
    service = YarnEmuService(settings(tmp_path, hadoop_descriptors=str(tmp_path / "gone.fds")),
                             reactor, builtin_programs())
    with pytest.raises(ServiceStartError, match="--hadoop-rpc: Cannot read the Hadoop RPC "
                                                "descriptor set"):
        service.privilegedStartService()
    assert reactor.listeners.factories == {}


def test_without_hadoop_rpc_the_nodes_are_named_as_before(tmp_path):
    _, service = started(tmp_path, hadoop_rpc=None, hadoop_descriptors=None,
                         node_groups=(NodeGroup(2, name_prefix="a"), NodeGroup(1, name_prefix="b")))
    assert sorted(service.cluster.node_managers) == ["a-0", "a-1", "b-0"]
    assert "rpc" not in service.urls and service.rpc is None
