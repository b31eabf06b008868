"""
A Java YARN application of ours written against Hadoop's own client API (``AmProgram.java``):
``YarnClient`` submits it over Hadoop RPC, the service runs its ApplicationMaster — the same
program — as a ``java`` process, whose ``AMRMClient`` registers, is allocated containers and
finishes SUCCEEDED on the scheduler address its container's ``HADOOP_CONF_DIR`` names.  Two at
once each get their own containers: the service tells the attempts apart by that address.
"""

import glob
import os
import re
import subprocess

import pytest
import requests

from tests.interop.conftest import JAVA_SOURCES

REPORT = re.compile(r"^Application (application_\d+_\d+) (\w+) (\w+) on (\S+) diagnostics: (.*)$")


@pytest.fixture(scope="module")
def am_classes(jdk, interop_cache, tmp_path_factory):
    """``AmProgram`` compiled against Hadoop's client jars."""
    classes = str(tmp_path_factory.mktemp("am-classes"))
    jdk.compile([os.path.join(JAVA_SOURCES, "AmProgram.java")], interop_cache.hadoop_client_jars(),
                classes)
    return classes


def start_client(hadoop, interop_cache, am_classes, containers):
    """Start ``java AmProgram client N JARS``; the AM container's classpath is those jars."""
    jars = [*interop_cache.hadoop_client_jars(), *interop_cache.logging_jars()]
    argv = hadoop.command("AmProgram", "client", str(containers), *jars, classpath=[am_classes])
    return subprocess.Popen(argv, env=hadoop.environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(client, timeout=180):
    """:return: ``(exit status, report match, stdout, stderr)`` of a client run to its end."""
    try:
        stdout, stderr = client.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        client.kill()
        stdout, stderr = client.communicate()
        raise AssertionError(f"AmProgram client did not finish in {timeout} s:\n{stdout}\n"
                             f"{stderr}") from None
    reports = [REPORT.match(line) for line in stdout.splitlines()]
    reports = [match for match in reports if match]
    return client.returncode, (reports[0] if reports else None), stdout, stderr


def am_stdout(service, application_id):
    """:return: what the AM printed (its container's ``<LOG_DIR>/stdout``)."""
    sequence = application_id.split("_", 1)[1]
    found = [path for path in glob.glob(os.path.join(service.data_dir, "**", "stdout"),
                                        recursive=True)
             if f"container_{sequence}_01_000001" in path
             or f"container_e0_{sequence}_01_000001" in path]
    assert found, f"no AM stdout of {application_id} under {service.data_dir}"
    with open(found[0]) as stream:
        return stream.read()


def test_a_java_am_registers_is_allocated_containers_and_finishes(
        service, hadoop, interop_cache, am_classes):
    """YarnClient submits; the AM gets its 3 containers and finishes; the app ends SUCCEEDED."""
    status, report, stdout, stderr = finish(start_client(hadoop, interop_cache, am_classes, 3))
    assert status == 0, stdout + stderr
    application_id, state, final_status, host, diagnostics = report.groups()
    assert (state, final_status, diagnostics) == ("FINISHED", "SUCCEEDED", "allocated 3 containers")
    assert host.startswith("127.0.0.")
    app = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}", timeout=10).json()
    assert (app["app"]["state"], app["app"]["finalStatus"]) == ("FINISHED", "SUCCEEDED")
    printed = am_stdout(service, application_id).splitlines()
    assert printed[0].startswith("Registered, attempt of container container_")
    allocated = [line for line in printed if line.startswith("Allocated ")]
    assert len(allocated) == 3
    assert all(" on 127.0.0." in line and "<memory:1024, vCores:1>" in line for line in allocated)


def test_two_ams_at_once_each_get_their_own_containers(service, hadoop, interop_cache, am_classes):
    """Two AMs asking at the same time: each is allocated containers of its own application."""
    clients = {count: start_client(hadoop, interop_cache, am_classes, count) for count in (1, 2)}
    for count, client in clients.items():
        status, report, stdout, stderr = finish(client)
        assert status == 0, stdout + stderr
        application_id, state, final_status, _, diagnostics = report.groups()
        assert (state, final_status) == ("FINISHED", "SUCCEEDED")
        assert diagnostics == f"allocated {count} containers"
        sequence = application_id.split("_", 1)[1]
        allocated = [line.split()[1] for line in am_stdout(service, application_id).splitlines()
                     if line.startswith("Allocated ")]
        assert len(allocated) == count
        assert all(f"_{sequence}_01_" in container for container in allocated), allocated
