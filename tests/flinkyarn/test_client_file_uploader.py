"""
Tests of the staging upload's file system seam (:mod:`flinkyarn.client.file_uploader`): a
deployment stages through any ``IFileSystemClient`` — over WebHDFS it ships the same files as
in-process, takes the time the transfers take and simulates none, and cleans up the same way.
"""

import math

from twisted.internet.defer import Deferred
from zope.interface import implementer

from flinkyarn.client import ClusterDeploymentException
from tests.flinkyarn.client_harness import USER, ClientHarness
from tests.http_harness import InMemoryHttpClient
from yarnemu.client.http import IHttpClient
from yarnemu.records.states import LocalResourceVisibility, YarnApplicationState


@implementer(IHttpClient)
class Slow:
    """An ``IHttpClient`` whose answers each take ``delay`` seconds of the clock to arrive."""

    def __init__(self, http, clock, delay):
        self._http = http
        self._clock = clock
        self._delay = delay
        self.requests = 0

    def request(self, method, url, body=None, headers=None):
        self.requests += 1
        arrived = Deferred()
        answer = self._http.request(method, url, body, headers)
        answer.addBoth(lambda result: self._clock.callLater(self._delay, arrived.callback,
                                                            result))
        return arrived


def _resources(harness, client):
    spec = harness.app(client.application_id).submission_context.am_container_spec
    return spec.local_resources


def test_staging_over_webhdfs_ships_what_staging_in_process_does(tmp_path):
    """Over WebHDFS the same files are staged and registered, and the cluster comes up."""
    # Directories of one length: the staged configuration names the log configuration's path.
    local = ClientHarness(tmp_path / "a")
    local_client = local.deploy_session()
    remote = ClientHarness(tmp_path / "b")
    client = remote.run(remote.webhdfs_descriptor().deploy_session_cluster(remote.spec()))
    assert remote.report(client.application_id).yarn_application_state is \
        YarnApplicationState.RUNNING
    assert remote.staged_files(client.application_id) == local.staged_files(
        local_client.application_id)
    status = remote.fs.get_file_status(f"/user/{USER}/.flink/{client.application_id}")
    assert (status.owner, status.permission) == (USER, "700")
    resources = _resources(remote, client)
    assert {key: (r.size, r.visibility) for key, r in resources.items()} == {
        key: (r.size, r.visibility) for key, r in _resources(local, local_client).items()}
    for key, resource in resources.items():
        assert resource.timestamp == remote.fs.get_file_status(resource.resource.file) \
            .modification_time, key
    assert client.staged.bytes_uploaded == local_client.staged.bytes_uploaded


def test_uploads_to_a_remote_file_system_take_the_transfer_time_and_no_simulated_time(tmp_path):
    """Over WebHDFS upload time is the clock time the requests took, whatever the bandwidth."""
    config = {"flinkyarn.simulation.upload.bandwidth-mb": "0.001"}
    harness = ClientHarness(tmp_path / "a", flink_config=config)
    slow = Slow(harness.webhdfs_http(), harness.clock, 0.05)
    descriptor = harness.webhdfs_descriptor(http=slow)
    client = harness.run(descriptor.deploy_session_cluster(harness.spec()))
    uploads = len(harness.staged_files(client.application_id))
    # Each upload: CREATE at the NameNode, the data to the DataNode, GETFILESTATUS.
    assert client.staged.upload_ms == uploads * 3 * 50
    rate = 0.001 * 2**20
    simulated = sum(math.ceil(size * 1000 / rate)
                    for size in harness.staged_files(client.application_id).values())
    assert simulated > 2 * client.staged.upload_ms
    in_process = ClientHarness(tmp_path / "b", flink_config=config).deploy_session()
    assert in_process.staged.upload_ms == simulated


def test_provided_lib_dirs_over_webhdfs_are_registered_in_place(tmp_path):
    """Provided lib dirs are listed over WebHDFS and registered PUBLIC; nothing of them moves."""
    harness = ClientHarness(tmp_path)
    lib, plugins = harness.flink_home.publish(harness.fs, "/flink/1.18.1", "hdfs")
    config = harness.config.set("yarn.provided.lib.dirs", f"hdfs://{lib};hdfs://{plugins}")
    client = harness.run(harness.webhdfs_descriptor(config).deploy_session_cluster(
        harness.spec(config)))
    assert sorted(harness.staged_files(client.application_id)) == [
        "flink-conf.yaml", "log4j.properties"]
    dist = _resources(harness, client)["lib/flink-dist-1.18.1.jar"]
    assert dist.visibility is LocalResourceVisibility.PUBLIC
    assert dist.resource.file == "/flink/1.18.1/lib/flink-dist-1.18.1.jar"


def test_a_failed_deployment_over_webhdfs_deletes_its_staging_dir(tmp_path):
    """The deployment failure hook deletes the staging directory through WebHDFS."""
    harness = ClientHarness(tmp_path)
    _, plugins = harness.flink_home.publish(harness.fs, "/flink/1.18.1", "hdfs")
    config = harness.config.set("yarn.provided.lib.dirs", f"hdfs://{plugins}")
    error = harness.failure_of(harness.webhdfs_descriptor(config).deploy_session_cluster(
        harness.spec(config)))
    assert isinstance(error, ClusterDeploymentException)
    assert harness.fs.list_status(f"/user/{USER}/.flink") == []


def test_kill_cluster_over_webhdfs_deletes_the_staging_dir(tmp_path):
    """kill_cluster removes .flink/<appId> through WebHDFS."""
    harness = ClientHarness(tmp_path)
    descriptor = harness.webhdfs_descriptor()
    client = harness.run(descriptor.deploy_session_cluster(harness.spec()))
    directory = f"/user/{USER}/.flink/{client.application_id}"
    assert harness.fs.exists(directory)
    harness.run(descriptor.kill_cluster(client.application_id))
    assert not harness.fs.exists(directory)
    assert descriptor.application_dir(client.application_id) == directory


def test_a_file_system_out_of_reach_fails_the_deployment_before_an_application_exists(tmp_path):
    """Without its file system the deployment fails before YARN creates an application."""
    harness = ClientHarness(tmp_path)
    error = harness.failure_of(harness.webhdfs_descriptor(http=InMemoryHttpClient({}))
                               .deploy_session_cluster(harness.spec()))
    assert isinstance(error, ClusterDeploymentException)
    assert harness.cluster.rm.apps == {}
