"""
Tests of the RM web app's resource tree: routing under ``/ws``, trailing slashes, 404 and 405 as
``RemoteException`` JSON, the HTML ``/cluster`` pages, and the room left for the composition
root's own children (``/``, ``/proxy``, ``/metrics``).
"""

import pytest
from twisted.web.resource import Resource

from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import EPOCH_MS, RunningCluster


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=1)


@pytest.fixture
def root(running):
    return ResourceManagerWebApp(running.rm, running.cluster.programs)


@pytest.fixture
def web(root):
    return HttpClient(root)


class Data(Resource):
    isLeaf = True

    def __init__(self, body):
        super().__init__()
        self.body = body

    def render_GET(self, request):
        return self.body


def remote_exception(response):
    assert response.header("Content-Type") == "application/json"
    return response.json()["RemoteException"]


def test_json_answers_carry_the_json_content_type(web):
    response = web.get("/ws/v1/cluster/info")
    assert response.status == 200
    assert response.header("Content-Type") == "application/json"
    assert response.json()["clusterInfo"]["id"] == EPOCH_MS


@pytest.mark.parametrize("path", [
    "/ws/v1/cluster/info/", "/ws/v1/cluster/", "/ws/v1/cluster/apps/", "/ws/v1/cluster/nodes/",
])
def test_a_trailing_slash_is_tolerated(web, path):
    assert web.get(path).status == 200


@pytest.mark.parametrize("path", [
    "/ws/v1/cluster/nothing", "/ws/v1/cluster/apps/application_1_0001/nothing", "/ws/v2/cluster",
    "/ws", "/ws/v1", "/nothing", "/", "/metrics", "/proxy/application_1_0001/",
])
def test_unknown_paths_are_404_remote_exceptions(web, path):
    response = web.get(path)
    assert response.status == 404
    error = remote_exception(response)
    assert error["exception"] == "NotFoundException"
    assert error["javaClassName"] == "org.apache.hadoop.yarn.webapp.NotFoundException"
    assert error["message"].startswith("java.lang.Exception: ")


def test_a_method_a_path_does_not_serve_is_405_with_allow(web):
    response = web.delete("/ws/v1/cluster/apps")
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD, POST"
    assert remote_exception(response)["message"] == "HTTP 405 Method Not Allowed"
    # As JAX-RS: the literal path wins over /apps/{appid}, which would take a GET.
    assert web.get("/ws/v1/cluster/apps/new-application").status == 405
    assert web.post("/ws/v1/cluster/metrics").status == 405


def test_head_is_served_as_get(web):
    response = web.request("HEAD", "/ws/v1/cluster/metrics")
    assert response.status == 200
    assert response.body == b""


@pytest.mark.parametrize("path", ["/cluster", "/cluster/", "/cluster/cluster", "/cluster/cluster/"])
def test_the_about_page_answers_200_html(web, path):
    response = web.get(path)
    assert response.status == 200
    assert response.header("Content-Type") == "text/html; charset=UTF-8"
    body = response.body.decode("utf-8")
    assert "About the Cluster" in body and str(EPOCH_MS) in body and "ACTIVE" in body


def test_the_application_page(running, web):
    application_id = running.submit("sleep 600")
    response = web.get(f"/cluster/app/{application_id}")
    assert response.status == 200
    body = response.body.decode("utf-8")
    assert f"Application {application_id}" in body and "alice" in body
    assert web.get("/cluster/app/application_1_0042").status == 404
    assert web.get("/cluster/app/bogus").status == 400
    assert web.get("/cluster/nothing").status == 404


def test_the_composition_root_can_add_children(root, web):
    root.putChild(b"proxy", Data(b"proxied"))
    root.putChild(b"", Data(b"the web ui"))
    root.putChild(b"metrics", Data(b"# prometheus"))
    assert web.get("/proxy").body == b"proxied"
    assert web.get("/").body == b"the web ui"
    assert web.get("/metrics").body == b"# prometheus"
    assert web.get("/ws/v1/cluster/info").status == 200


def test_an_unexpected_failure_is_a_500_remote_exception(running, web, monkeypatch):
    def broken():
        raise RuntimeError("the metrics are on fire")

    monkeypatch.setattr(running.rm.metrics, "snapshot", broken)
    response = web.get("/ws/v1/cluster/metrics")
    assert response.status == 500
    assert remote_exception(response)["message"] == "RuntimeError: the metrics are on fire"
    assert web.get("/ws/v1/cluster/info").status == 200
