"""
The shared ``IYarnClient`` suite (:mod:`tests.yarnemu.yarn_client_contract`) run against each
implementation: the in-process client, and the RM REST client talking to the RM's web app in
memory (real HTTP bytes through a ``twisted.web`` site, on the cluster's virtual clock).
"""

import pytest

from tests.http_harness import InMemoryHttpClient
from yarnemu.client import InProcessYarnClient, RestYarnClient
from yarnemu.web.rm import ResourceManagerWebApp

from .yarn_client_contract import YarnClientContract

RM_ADDRESS = "127.0.0.1:8088"


def rest_client(running, user):
    """:return: a :class:`RestYarnClient` of ``running``'s RM web app, served in memory."""
    site = ResourceManagerWebApp(running.rm, running.cluster.programs)
    http = InMemoryHttpClient({RM_ADDRESS: site})
    return RestYarnClient(http, f"http://{RM_ADDRESS}", user)


class TestInProcessYarnClient(YarnClientContract):
    @pytest.fixture
    def connect(self):
        return lambda running, user: InProcessYarnClient(running.client, user)


class TestRestYarnClient(YarnClientContract):
    @pytest.fixture
    def connect(self):
        return rest_client
