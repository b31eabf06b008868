"""
The ``twistd yarnemu`` plugin and :mod:`flinkyarn.service`: the service with Flink on it — Flink's
programs allowed, the web proxy serving JobManagers, and ``--scenario`` reading a scenario file.
"""

import os

import pytest
from twisted.application.service import IServiceMaker
from twisted.internet.testing import MemoryReactorClock
from twisted.plugin import getPlugins
from twisted.python import usage

from flinkyarn.service import make_service
from flinkyarn.yarn.constants import SESSION_ENTRYPOINT
from tests.http_harness import HttpClient

SCENARIOS = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "scenarios")


def plugin():
    (maker,) = [p for p in getPlugins(IServiceMaker) if p.tapname == "yarnemu"]
    return maker


def parsed(*argv):
    options = plugin().options()
    options.parseOptions(list(argv))
    return options


def started(tmp_path, *argv):
    reactor = MemoryReactorClock()
    service = make_service(parsed("--rm-listen", "tcp:8188", "--webhdfs-listen", "tcp:9970",
                                  "--data-dir", str(tmp_path), *argv), reactor)
    service.privilegedStartService()
    service.startService()
    return reactor, service


def test_twistd_finds_the_yarnemu_plugin():
    assert "Flink" in plugin().description


def test_a_scenario_files_cluster_block_becomes_the_cluster(tmp_path):
    _, service = started(tmp_path, "--scenario", os.path.join(SCENARIOS, "capacity-queues.yaml"))
    rm = service.cluster.rm
    assert sorted(info.queue_name for info in rm.client_service.get_all_queues()) == [
        "analytics", "etl", "root"]


def test_a_bad_scenario_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("cluster:\n  sheduler: fifo\n")
    with pytest.raises(usage.UsageError, match="bad.yaml:2: unknown key 'sheduler'"):
        parsed("--scenario", str(bad))


def test_flinks_entrypoints_are_allowed_and_the_proxy_is_served(tmp_path):
    reactor, service = started(tmp_path)
    assert SESSION_ENTRYPOINT in service.cluster.programs
    (_, site, _, _), _ = reactor.tcpServers
    answer = HttpClient(site).get("/proxy/application_1_0001/overview")
    assert answer.status == 404
    assert "could not be found" in answer.body.decode()
