"""
:class:`ClientHarness`: a started YARN cluster on a virtual clock with the fake JobManager
programs, a generated Flink distribution, and a :class:`YarnClusterDescriptor` acting as
``alice`` — what the client tests drive.  Descriptors stage through the in-process file system
client, or over WebHDFS served in memory (:meth:`ClientHarness.webhdfs_descriptor`).
"""

import os

from twisted.python.failure import Failure

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.client import ClusterSpecification, FlinkHome, YarnClusterDescriptor
from flinkyarn.client.client_log import CLIENT_SOURCE
from flinkyarn.config import options as o
from tests.flinkyarn.client_fake_jobmanager import FakeJobManager, fake_jobmanager_programs
from tests.http_harness import InMemoryHttpClient
from yarnemu.client import InProcessFileSystemClient, WebHdfsClient
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.programs import builtin_programs
from yarnemu.web.webhdfs import webhdfs_site

__all__ = ["ClientHarness", "USER", "WEBHDFS_ADDRESS", "small_job_graph"]

USER = "alice"

WEBHDFS_ADDRESS = "127.0.0.1:9870"


def small_job_graph(name="staged job"):
    """:return: the JobGraph of a small bounded pipeline (sequence, map, print)."""
    env = StreamExecutionEnvironment()
    env.from_sequence(1, 10).map(lambda n: n).print()
    return env.get_job_graph(name)


class ClientHarness:
    """
    :param tmp_path: a directory for the cluster's data and the distribution.
    :param int nodes: NodeManagers, each with ``memory_mb`` and ``vcores``.
    :param yarn_config: yarn-site settings.
    :param str dist_size: ``tiny`` or ``realistic``.
    :param flink_config: settings over the distribution's ``flink-conf.yaml``.
    """

    def __init__(self, tmp_path, nodes=3, memory_mb=8192, vcores=8, yarn_config=None,
                 dist_size="tiny", flink_config=None):
        FakeJobManager.instances.clear()
        self.tmp_path = tmp_path
        self.clock = VirtualClock(DEFAULT_EPOCH)
        self.cluster = YarnCluster(
            self.clock, os.path.join(tmp_path, "cluster"),
            [NodeGroup(nodes, memory_mb=memory_mb, vcores=vcores)],
            config=YarnConfiguration(yarn_config or {}),
            programs=builtin_programs().merged(fake_jobmanager_programs()),
        )
        self.cluster.start()
        self.clock.advance(1.0)
        self.flink_home = FlinkHome.create(os.path.join(tmp_path, "flink-1.18.1"), dist_size)
        self.config = self.flink_home.configuration().with_values(
            {o.SIM_DIST_SIZE.key: dist_size, **(flink_config or {})})
        self.fs = self.cluster.filesystem
        self.yarn_client = self.cluster.yarn_client(USER)
        self.descriptor = self.descriptor_for(self.config)

    def descriptor_for(self, config, filesystem=None):
        """
        :param filesystem: the descriptor's ``IFileSystemClient`` (default: the in-process one).
        :return: a new descriptor with ``config`` on this cluster.
        """
        if filesystem is None:
            filesystem = InProcessFileSystemClient(self.fs, USER)
        return YarnClusterDescriptor(
            config, self.yarn_client, filesystem, self.clock, self.cluster.events, USER,
            self.flink_home, self.cluster.network, yarn_config=self.cluster.config)

    def webhdfs_http(self):
        """
        :return: an ``IHttpClient`` reaching this cluster's fake HDFS over WebHDFS at
            :data:`WEBHDFS_ADDRESS`, served in memory on the cluster's clock.
        """
        site = webhdfs_site(self.fs, os.path.join(self.tmp_path, "webhdfs-spool"),
                            reactor=self.clock)
        return InMemoryHttpClient({WEBHDFS_ADDRESS: site})

    def webhdfs_descriptor(self, config=None, http=None):
        """
        :param http: the ``IHttpClient`` to reach WebHDFS with (default: :meth:`webhdfs_http`).
        :return: a new descriptor with ``config`` staging through a
            :class:`~yarnemu.client.WebHdfsClient`.
        """
        client = WebHdfsClient(http if http is not None else self.webhdfs_http(),
                               f"http://{WEBHDFS_ADDRESS}", USER)
        return self.descriptor_for(config if config is not None else self.config, client)

    def spec(self, config=None):
        return ClusterSpecification.from_configuration(config or self.config)

    def run(self, deferred, seconds=600):
        """
        Drive the clock until ``deferred`` fires (at most ``seconds`` of virtual time).

        :return: its result.
        :raise: its failure's exception; ``AssertionError`` if it did not fire.
        """
        outcome = []
        deferred.addBoth(outcome.append)
        self.clock.run_until_true(lambda: outcome, limit=self.clock.seconds() + seconds)
        if not outcome:
            raise AssertionError(f"the Deferred did not fire within {seconds} s of virtual time")
        if isinstance(outcome[0], Failure):
            outcome[0].raiseException()
        return outcome[0]

    def failure_of(self, deferred, seconds=600):
        """:return: the exception ``deferred`` fails with (``AssertionError`` if it succeeds)."""
        try:
            value = self.run(deferred, seconds)
        except AssertionError:
            raise
        except Exception as error:
            return error
        raise AssertionError(f"expected a failure, got {value!r}")

    def deploy_session(self, config=None):
        """:return: the ClusterClient of a session cluster deployed with ``config``."""
        descriptor = self.descriptor if config is None else self.descriptor_for(config)
        return self.run(descriptor.deploy_session_cluster(self.spec(config)))

    def client_messages(self, level=None):
        """:return: the client's log messages, in order (of ``level`` only, if given)."""
        return [event.message for event in self.cluster.events.events
                if event.kind == "log" and event.source == CLIENT_SOURCE
                and (level is None or event.level == level)]

    def app(self, application_id):
        return self.cluster.rm.apps[application_id]

    def report(self, application_id):
        return self.cluster.rm.client_service.get_application_report(application_id)

    def staged_files(self, application_id):
        """:return: ``{relative path: length}`` of the files in the application's staging dir."""
        root = f"/user/{USER}/.flink/{application_id}"
        return dict(self._walk(root, root))

    def _walk(self, root, path):
        for status in self.fs.list_status(path):
            child = f"{path}/{status.path_suffix}"
            if status.is_directory:
                yield from self._walk(root, child)
            else:
                yield child[len(root) + 1:], status.length
