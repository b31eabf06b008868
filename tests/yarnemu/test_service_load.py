"""
A bounded load on a running ``twistd -n yarnemu``: 1,000 applications submitted over REST, then
2,000 requests from 20 concurrent clients at ``/ws/v1/cluster/apps`` (whole listings, pages,
filters, single applications), every answer checked.
(Figures are the benchmark's business: scripts/benchmarks/rest_service.py.)
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from yarnemu.testing.service_process import ServiceProcess

APPS = 1000
REQUESTS = 2000
CLIENTS = 20

_sessions = threading.local()


def session():
    if not hasattr(_sessions, "session"):
        _sessions.session = requests.Session()
    return _sessions.session


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    service = ServiceProcess.start(tmp_path_factory.mktemp("service"), "--nodes", "4")

    def submit(index):
        rm = service.rm + "/ws/v1/cluster/apps"
        application_id = session().post(f"{rm}/new-application?user.name=load").json()[
            "application-id"]
        answer = session().post(f"{rm}?user.name=load", json={
            "application-id": application_id,
            "application-name": f"load-{index}",
            "application-type": "LOADTEST",
            "unmanaged-AM": True,
            "am-container-spec": {"commands": {"command": "true"}},
            "resource": {"memory": 1024, "vCores": 1},
        })
        assert answer.status_code == 202, answer.text
        return application_id, f"load-{index}"

    with ThreadPoolExecutor(CLIENTS) as pool:
        names = dict(pool.map(submit, range(APPS)))
    yield service, names
    service.stop()


def test_two_thousand_concurrent_requests_all_answer_right(loaded):
    service, names = loaded
    base = service.rm + "/ws/v1/cluster/apps"
    ids = sorted(names)

    def check(index):
        # One request in 40 lists all 1,000 applications (about 1 MB of JSON); the others ask
        # for pages, filters and single applications.
        if index % 40 == 0:
            apps = session().get(base).json()["apps"]["app"]
            assert sorted(app["id"] for app in apps) == ids
        elif index % 40 == 1:
            apps = session().get(base, params={"user": "load", "applicationTypes": "loadtest",
                                               "limit": 1000}).json()["apps"]["app"]
            assert len(apps) == APPS
            assert all(names[app["id"]] == app["name"] for app in apps)
        elif index % 2 == 0:
            apps = session().get(base, params={"limit": 100}).json()["apps"]["app"]
            assert [app["id"] for app in apps] == ids[:100]
        elif index % 4 == 1:
            apps = session().get(base, params={"user": "nobody"}).json()
            assert apps == {"apps": None}
        else:
            application_id = ids[index % APPS]
            app = session().get(f"{base}/{application_id}").json()["app"]
            assert (app["id"], app["name"], app["user"]) == (
                application_id, names[application_id], "load")
        return True

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(check, range(REQUESTS)))
    assert outcomes == [True] * REQUESTS
    assert session().get(service.rm + "/ws/v1/cluster/metrics").json()[
        "clusterMetrics"]["appsSubmitted"] == APPS
