"""
:class:`LiveServiceTestCase`: trial test cases (pytest runs them with the reactor spinning) that
deploy Flink from this process onto one ``twistd -n yarnemu`` process shared by the class, through
HTTP only: YARN over REST, staging over WebHDFS, JobManagers through the RM web proxy.
"""

import os
import shutil
import tempfile

from twisted.internet import reactor
from twisted.trial.unittest import TestCase

from flinkyarn.client import FlinkHome
from flinkyarn.client.remote import ServiceAddress, remote_descriptor
from yarnemu.client.http import AgentHttpClient
from yarnemu.testing.service_process import ServiceProcess

__all__ = ["LiveServiceTestCase"]


class LiveServiceTestCase(TestCase):
    """
    :cvar str time_scale: the service's ``--time-scale``.
    :cvar dict flink_config: settings over the tiny distribution's configuration.
    :ivar address: the service's :class:`~flinkyarn.client.remote.ServiceAddress`.
    :ivar http: an ``AgentHttpClient`` closed after each test.
    :ivar home: a tiny ``FlinkHome``; :ivar config: its configuration with ``flink_config``.
    """

    timeout = 120
    time_scale = "20"
    flink_config = {"taskmanager.numberOfTaskSlots": 2}

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.mkdtemp(prefix="yarnemu-live-")
        cls.service = ServiceProcess.start(os.path.join(cls.directory, "service"), "--nodes", "3",
                                           "--time-scale", cls.time_scale)
        cls.address = ServiceAddress.from_endpoints_file(cls.service.endpoints_file)

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        self.http = AgentHttpClient(reactor)
        self.addCleanup(self.http.close)
        self.home = FlinkHome.create(os.path.join(self.directory, "flink"), "tiny")
        self.config = self.home.configuration().with_values(dict(self.flink_config))

    def descriptor(self, user="alice"):
        """:return: a ``YarnClusterDescriptor`` deploying onto the service as ``user``."""
        return remote_descriptor(reactor, self.address, user, self.home, self.config,
                                 http=self.http)
