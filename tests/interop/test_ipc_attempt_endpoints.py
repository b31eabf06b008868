"""
Per-attempt AM listeners and the Hadoop configuration directory of each container
(:class:`ContainerHadoopConf`, the process executor's container site).
"""

import os
import xml.etree.ElementTree as ElementTree

import pytest

from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster
from yarnemu.ipc.descriptors import APPLICATION_MASTER_PROTOCOL
from yarnemu.ipc.site_xml import site_xml
from yarnemu.nodemanager.process_executor import ContainerSetup
from yarnemu.records import ContainerId
from yarnemu.records.states import RMAppAttemptState, RMAppState


@pytest.fixture
def rpc(tmp_path):
    return RpcCluster(tmp_path, nodes=2, config={"yarn.scheduler.minimum-allocation-mb": "512",
                                                 "yarnemu.nodemanager.port": "1"})


def properties(text):
    root = ElementTree.fromstring(text)
    return {prop.findtext("name"): prop.findtext("value") for prop in root.iter("property")}


def launched_application(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = rpc.submit(client, command="sleep 600")
    app = rpc.rm.apps[application_id]
    rpc.run_until(lambda: app.current_attempt is not None
                  and app.current_attempt.state is RMAppAttemptState.LAUNCHED)
    return app


def test_site_xml_is_hadoop_s_configuration_format():
    text = site_xml({"a.b": "x<y&z", "n": 3})
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n')
    assert properties(text) == {"a.b": "x<y&z", "n": "3"}


def test_an_am_container_gets_its_attempt_s_scheduler_address(rpc):
    app = launched_application(rpc)
    attempt_id = app.current_attempt.attempt_id
    master = app.current_attempt.master_container.container_id
    conf = rpc.server.container_conf("127.0.0.1:8032", "webhdfs://127.0.0.1:9870")
    files = conf.files(master)
    yarn = properties(files["yarn-site.xml"])
    assert yarn["yarn.resourcemanager.scheduler.address"] == rpc.server.endpoints.address(
        attempt_id)
    assert (yarn["yarn.resourcemanager.address"], yarn["yarn.resourcemanager.hostname"]) == (
        "127.0.0.1:8032", "127.0.0.1")
    assert yarn["yarn.resourcemanager.webapp.address"] == rpc.rm.webapp_address
    assert (yarn["yarn.scheduler.minimum-allocation-mb"],
            yarn["yarn.scheduler.maximum-allocation-mb"]) == ("512", "8192")
    assert "yarnemu.nodemanager.port" not in yarn
    assert properties(files["core-site.xml"]) == {"fs.defaultFS": "webhdfs://127.0.0.1:9870"}
    # Asked again (a relaunch of the same container's site), the same listener.
    assert properties(conf.files(master)["yarn-site.xml"])[
        "yarn.resourcemanager.scheduler.address"] == rpc.server.endpoints.address(attempt_id)


def test_other_containers_get_no_scheduler_address(rpc):
    app = launched_application(rpc)
    attempt_id = app.current_attempt.attempt_id
    conf = rpc.server.container_conf("127.0.0.1:8032")
    yarn = properties(conf.files(ContainerId(attempt_id, 2))["yarn-site.xml"])
    assert "yarn.resourcemanager.scheduler.address" not in yarn
    assert rpc.server.endpoints.address(attempt_id) is None


def test_prepare_writes_the_directory_beside_the_working_directory(rpc, tmp_path):
    app = launched_application(rpc)
    master = app.current_attempt.master_container.container_id
    working_dir = tmp_path / "appcache" / "app" / str(master)
    working_dir.mkdir(parents=True)
    setup = ContainerSetup(master, None, "alice", str(working_dir), str(tmp_path / "logs"),
                           ("true",), {})
    variables = rpc.server.container_conf("127.0.0.1:8032").prepare(setup)
    directory = variables["HADOOP_CONF_DIR"]
    assert variables == {"HADOOP_CONF_DIR": str(tmp_path / "appcache" / "app" / "hadoop-conf"
                                                / str(master))}
    assert sorted(os.listdir(directory)) == ["core-site.xml", "yarn-site.xml"]
    assert os.listdir(working_dir) == []


def test_a_managed_attempt_s_listener_closes_when_it_ends(rpc):
    app = launched_application(rpc)
    attempt = app.current_attempt
    address = rpc.server.container_conf("127.0.0.1:8032").scheduler_address(
        attempt.master_container.container_id)
    am = rpc.connect(address, APPLICATION_MASTER_PROTOCOL)
    rpc.call(am, "registerApplicationMaster", host="h", rpc_port=1)
    client = rpc.connect(RM_ADDRESS)
    request = rpc.message("hadoop.yarn.KillApplicationRequestProto")
    request.application_id.id = app.application_id.id
    request.application_id.cluster_timestamp = app.application_id.cluster_timestamp
    rpc.call(client, "forceKillApplication", request)
    rpc.run_until(lambda: app.state is RMAppState.KILLED)
    host, port = address.rsplit(":", 1)
    assert (host, int(port)) not in rpc.listeners.factories
    assert rpc.server.endpoints.address(attempt.attempt_id) is None


def test_close_all_closes_listeners_and_their_connections(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, report = rpc.unmanaged_am(client)
    host, port = report.am_rm_token.service.rsplit(":", 1)
    factory = rpc.listeners.factories[(host, int(port))]
    assert len(factory.connections) == 1
    closed = []
    rpc.server.endpoints.close_all().addCallback(closed.append)
    rpc.flush(am)
    assert closed and factory.connections == set()
    assert (host, int(port)) not in rpc.listeners.factories
