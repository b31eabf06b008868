"""
Hadoop client configuration directories: the RM's RPC address from the endpoints, ``*-site.xml``
files Hadoop's ``Configuration`` reads, the client's quick-failure settings, and the classpaths.
"""

import os
import xml.etree.ElementTree as ElementTree

import pytest

from yarnemu.interop.cache import InteropCache
from yarnemu.interop.classpaths import (
    application_classpath,
    flink_hadoop_classpath,
    hadoop_client_classpath,
)
from yarnemu.interop.hadoop_conf import configuration_xml, rpc_address, write_hadoop_conf


def properties(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == "configuration"
    return {prop.findtext("name"): prop.findtext("value") for prop in root.iter("property")}


def test_configuration_xml_escapes_names_and_values(tmp_path):
    """Values with XML's special characters come back as they were written."""
    path = tmp_path / "x.xml"
    path.write_text(configuration_xml({"a.b": "x<y & 'z'", "c": 3}))
    assert properties(path) == {"a.b": "x<y & 'z'", "c": "3"}


@pytest.mark.parametrize("entry", ["127.0.0.1:8032", "hrpc://127.0.0.1:8032",
                                   "tcp://127.0.0.1:8032/"])
def test_the_rpc_address_comes_from_the_endpoints_rpc_entry(entry):
    """host:port, with or without a scheme."""
    assert rpc_address({"rm": "http://127.0.0.1:1", "rpc": entry}) == "127.0.0.1:8032"


def test_a_service_without_hadoop_rpc_has_no_rpc_address():
    """No "rpc" entry: the message says to start the service with --hadoop-rpc."""
    with pytest.raises(KeyError, match="--hadoop-rpc"):
        rpc_address({"rm": "http://127.0.0.1:1", "webhdfs": "http://127.0.0.1:2"})


def test_a_client_conf_dir_names_the_rm_and_fails_fast(tmp_path):
    """yarn-site has the RM address and a 5 s connect limit; callers' settings win."""
    directory = write_hadoop_conf(str(tmp_path / "conf"), "127.0.0.1:40000",
                                  yarn={"yarn.resourcemanager.connect.max-wait.ms": "1000"},
                                  core={"hadoop.tmp.dir": "/tmp/x"})
    yarn = properties(os.path.join(directory, "yarn-site.xml"))
    core = properties(os.path.join(directory, "core-site.xml"))
    assert yarn["yarn.resourcemanager.address"] == "127.0.0.1:40000"
    assert yarn["yarn.resourcemanager.connect.max-wait.ms"] == "1000"
    assert core["fs.defaultFS"] == "file:///"
    assert core["hadoop.tmp.dir"] == "/tmp/x"
    assert core["ipc.client.connect.max.retries"] == "1"
    with open(os.path.join(directory, "log4j2.properties")) as stream:
        assert "appender.stderr.target = SYSTEM_ERR" in stream.read()


def test_the_classpaths(tmp_path):
    """The client's has its conf dir first; Flink's and the containers' only Hadoop's two jars."""
    cache = InteropCache(str(tmp_path))
    api, runtime = cache.hadoop_client_jars()
    client = hadoop_client_classpath(cache, "/conf", "/classes")
    assert client[:3] == ["/conf", api, runtime]
    assert client[-1] == "/classes"
    assert [os.path.basename(path) for path in client[3:-1]] == [
        "slf4j-api-2.0.17.jar", "jcl-over-slf4j-2.0.17.jar", "log4j-api-2.25.4.jar",
        "log4j-core-2.25.4.jar", "log4j-slf4j2-impl-2.25.4.jar"]
    assert flink_hadoop_classpath(cache) == f"{api}:{runtime}"
    assert application_classpath(cache) == f"{{{{HADOOP_CONF_DIR}}}},{api},{runtime}"
