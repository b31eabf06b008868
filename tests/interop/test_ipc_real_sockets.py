"""
``twistd -n yarnemu --hadoop-rpc … --container-executor process`` over real sockets, driven by
the Python RPC client in a child process (the reactor runs once per process): an AM container
runs as a bash process and finds its attempt's scheduler address in its ``HADOOP_CONF_DIR``; an
AM registered there is allocated a container, which its NodeManager starts from the container
token at its own address; a kill ends it; and no container process survives the service.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from yarnemu.ipc.descriptors import default_descriptors_path
from yarnemu.testing.service_process import ServiceProcess

MARKER = "417.25"
"""An unusual ``sleep`` duration, to find the containers' processes by."""

_CLIENT = r"""
import json, os, sys, time
import xml.etree.ElementTree as ElementTree
from twisted.internet import task
from twisted.internet.defer import inlineCallbacks
from yarnemu.ipc.client import connect
from yarnemu.ipc.descriptors import (APPLICATION_CLIENT_PROTOCOL, APPLICATION_MASTER_PROTOCOL,
                                     CONTAINER_MANAGEMENT_PROTOCOL, HadoopDescriptors)

def sleep(reactor, seconds):
    return task.deferLater(reactor, seconds, lambda: None)

def name(message, field):
    return message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[
        getattr(message, field)].name

@inlineCallbacks
def main(reactor, descriptors_path, rpc, data_dir, marker):
    d = HadoopDescriptors.load(descriptors_path)
    host, port = rpc.rsplit(":", 1)
    rm = yield connect(reactor, host, int(port), d, APPLICATION_CLIENT_PROTOCOL, "alice")
    seen = {}
    new = yield rm.call("getNewApplication")
    request = d.message_class("hadoop.yarn.SubmitApplicationRequestProto")()
    context = request.application_submission_context
    context.application_id.CopyFrom(new.application_id)
    context.application_name = "bash-am"
    context.resource.memory = 512
    context.resource.virtual_cores = 1
    context.am_container_spec.command.append(
        "cp $HADOOP_CONF_DIR/yarn-site.xml <LOG_DIR>/yarn-site.out; echo $CONTAINER_ID; "
        f"exec sleep {marker} 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr")
    yield rm.call("submitApplication", request)
    app = f"application_{new.application_id.cluster_timestamp}_{new.application_id.id:04d}"
    am_container = app.replace("application_", "container_") + "_01_000001"
    found = None
    for _ in range(200):
        for root, _, files in os.walk(data_dir):
            if "yarn-site.out" in files and root.endswith(am_container):
                found = os.path.join(root, "yarn-site.out")
        if found and os.path.getsize(found):
            break
        yield sleep(reactor, 0.05)
    conf = {p.findtext("name"): p.findtext("value")
            for p in ElementTree.parse(found).getroot().iter("property")}
    seen["rm_address"] = conf["yarn.resourcemanager.address"]
    scheduler_host, scheduler_port = conf["yarn.resourcemanager.scheduler.address"].rsplit(":", 1)
    seen["scheduler_host"] = scheduler_host
    am = yield connect(reactor, scheduler_host, int(scheduler_port), d,
                       APPLICATION_MASTER_PROTOCOL, "alice", sasl=True)
    register = d.message_class("hadoop.yarn.RegisterApplicationMasterRequestProto")(
        host="127.0.0.1", rpc_port=0, tracking_url="")
    seen["queue"] = (yield am.call("registerApplicationMaster", register)).queue
    allocate = d.message_class("hadoop.yarn.AllocateRequestProto")()
    ask = allocate.ask.add(resource_name="*", num_containers=1)
    ask.priority.priority = 1
    ask.capability.memory = 256
    ask.capability.virtual_cores = 1
    containers, tokens = [], []
    while not containers:
        response = yield am.call("allocate", allocate)
        containers.extend(response.allocated_containers)
        tokens.extend(response.nm_tokens)
        allocate = d.message_class("hadoop.yarn.AllocateRequestProto")(
            response_id=response.response_id)
        yield sleep(reactor, 0.2)
    container = containers[0]
    seen["nm_tokens"] = [f"{t.nodeId.host}:{t.nodeId.port}" for t in tokens]
    seen["container_node"] = f"{container.nodeId.host}:{container.nodeId.port}"
    nm = yield connect(reactor, container.nodeId.host, container.nodeId.port, d,
                       CONTAINER_MANAGEMENT_PROTOCOL, "appattempt", sasl=True)
    start = d.message_class("hadoop.yarn.StartContainersRequestProto")()
    entry = start.start_container_request.add()
    entry.container_token.CopyFrom(container.container_token)
    entry.container_launch_context.command.append(f"exec sleep {marker}")
    started = yield nm.call("startContainers", start)
    seen["started"] = len(started.succeeded_requests)
    statuses = d.message_class("hadoop.yarn.GetContainerStatusesRequestProto")()
    statuses.container_id.add().CopyFrom(container.id)
    for _ in range(100):
        status = (yield nm.call("getContainerStatuses", statuses)).status[0]
        if name(status, "container_sub_state") == "CSS_RUNNING":
            break
        yield sleep(reactor, 0.05)
    seen["container_state"] = name(status, "state")
    report = d.message_class("hadoop.yarn.GetApplicationReportRequestProto")()
    report.application_id.CopyFrom(new.application_id)
    application = (yield rm.call("getApplicationReport", report)).application_report
    seen["state"] = name(application, "yarn_application_state")
    seen["app"] = app
    for connection in (am, nm, rm):
        yield connection.close()
    print(json.dumps(seen))

task.react(main, sys.argv[1:])
"""


def container_processes():
    """:return: the pids of this machine's processes running the marked ``sleep``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as stream:
                argv = stream.read().split(b"\0")
        except OSError:
            continue
        if argv[:2] == [b"sleep", MARKER.encode()]:
            found.append(int(pid))
    return found


@pytest.fixture
def service(tmp_path):
    service = ServiceProcess.start(
        tmp_path / "service", "--nodes", "2", "--hadoop-rpc", "tcp:0:interface=127.0.0.1",
        "--hadoop-descriptors", default_descriptors_path(), "--container-executor", "process")
    yield service
    service.stop()


def test_an_am_container_s_attempt_address_and_a_container_started_over_rpc(service, tmp_path):
    with open(service.endpoints_file) as stream:
        rpc = json.load(stream)["rpc"]
    script = tmp_path / "client.py"
    script.write_text(_CLIENT)
    done = subprocess.run(
        [sys.executable, str(script), default_descriptors_path(), rpc,
         str(tmp_path / "service" / "data"), MARKER],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + service.log()
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["rm_address"] == rpc
    assert seen["scheduler_host"] == "127.0.0.1"
    assert seen["queue"] == "default"
    assert seen["started"] == 1 and seen["container_state"] == "C_RUNNING"
    assert seen["container_node"] in seen["nm_tokens"]
    assert seen["container_node"].startswith("127.0.0.")
    assert seen["state"] == "RUNNING"
    assert len(container_processes()) == 2  # the AM's and the container's
    assert service.stop() == -signal.SIGTERM  # twistd re-raises the signal it stopped on
    deadline = time.monotonic() + 10
    while container_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert container_processes() == []
