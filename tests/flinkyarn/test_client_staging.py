"""
Tests for the staging directory ``.flink/<applicationId>/`` (:mod:`flinkyarn.client.staging` and
:mod:`flinkyarn.client.file_uploader`), through deployments on a virtual-time cluster.
"""

import math
import os
import zipfile

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.client import ApplicationConfiguration, ClusterDeploymentException
from flinkyarn.client.flink_home import LIB_FILES, PLUGIN_FILES, tiny_size
from flinkyarn.config import Configuration
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.yarn.constants import ENV_CLIENT_SHIP_FILES, ENV_FLINK_DIST_JAR
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor, parse_descriptors
from tests.flinkyarn.client_harness import ClientHarness, small_job_graph
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility


def _expected_tiny_files():
    files = {f.path: tiny_size(f.size) for f in LIB_FILES + PLUGIN_FILES}
    dist = files.pop("lib/flink-dist-1.18.1.jar")
    files["flink-dist-1.18.1.jar"] = dist
    return files


def _launch_context(harness, client):
    return harness.app(client.application_id).submission_context.am_container_spec


def test_session_staging_holds_configuration_log_config_dist_lib_and_plugins(tmp_path):
    """A session ships the config, log4j.properties, the dist jar, lib/ and plugins/."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    staged = harness.staged_files(client.application_id)
    jars = {path: size for path, size in staged.items()
            if path not in ("flink-conf.yaml", "log4j.properties", "plugins/README.txt")}
    assert jars == _expected_tiny_files()
    assert staged["log4j.properties"] == os.path.getsize(
        os.path.join(harness.flink_home.conf_dir, "log4j.properties"))
    assert "job.graph" not in staged


def test_staged_configuration_is_the_effective_one(tmp_path):
    """flink-conf.yaml has the HA cluster id and execution mode, not the localhost bind hosts."""
    harness = ClientHarness(tmp_path, flink_config={"test.marker": "42"})
    client = harness.deploy_session()
    text = harness.fs.read_bytes(
        f"/user/alice/.flink/{client.application_id}/flink-conf.yaml").decode()
    staged = Configuration.from_flink_conf(text)
    assert staged["high-availability.cluster-id"] == str(client.application_id)
    assert staged["internal.cluster.execution-mode"] == "NORMAL"
    assert staged["test.marker"] == "42"
    for removed in ("jobmanager.bind-host", "taskmanager.bind-host", "taskmanager.host"):
        assert removed not in staged
    assert "Removing 'localhost' Key: 'jobmanager.bind-host' , default: null (fallback keys: []) " \
           "setting from effective configuration; using '0.0.0.0' instead." in \
           harness.client_messages()


def test_application_directory_is_private_to_the_user(tmp_path):
    """The application directory is created rwx------ and owned by the submitting user."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    status = harness.fs.get_file_status(f"/user/alice/.flink/{client.application_id}")
    assert (status.permission, status.owner) == ("700", "alice")
    assert client.staged.application_dir == f"/user/alice/.flink/{client.application_id}"


def test_staging_directory_option_moves_the_staging_root(tmp_path):
    """``yarn.staging-directory`` replaces the home directory as the staging root."""
    harness = ClientHarness(tmp_path, flink_config={"yarn.staging-directory": "hdfs:///tmp/st"})
    client = harness.deploy_session()
    assert harness.fs.exists(f"/tmp/st/.flink/{client.application_id}/flink-conf.yaml")
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_realistic_uploads_take_virtual_time_at_the_configured_bandwidth(tmp_path):
    """About 230 MB upload at 100 MB/s in about 2.3 s of virtual time, file after file."""
    harness = ClientHarness(tmp_path, dist_size="realistic")
    client = harness.deploy_session()
    staged = client.staged
    sizes = harness.staged_files(client.application_id)
    assert staged.bytes_uploaded == sum(sizes.values()) == harness.descriptor.uploaded_bytes
    assert staged.bytes_uploaded > 200_000_000
    assert sizes["flink-dist-1.18.1.jar"] == 125_679_412
    rate = 100 * 2**20
    assert staged.upload_ms == sum(math.ceil(size * 1000 / rate) for size in sizes.values())
    assert 2000 < staged.upload_ms < 2600
    resources = _launch_context(harness, client).local_resources
    times = [resource.timestamp for resource in resources.values()]
    assert times == sorted(times)
    assert times[-1] - times[0] >= staged.upload_ms - math.ceil(
        sizes["log4j.properties"] * 1000 / rate)


def test_lower_bandwidth_makes_uploads_slower(tmp_path):
    """At 10 MB/s the same distribution takes about ten times as long to upload."""
    fast = ClientHarness(tmp_path / "fast", dist_size="realistic").deploy_session()
    slow = ClientHarness(tmp_path / "slow", dist_size="realistic", flink_config={
        "flinkyarn.simulation.upload.bandwidth-mb": "10"}).deploy_session()
    assert 9.9 < slow.staged.upload_ms / fast.staged.upload_ms < 10.1
    assert slow.staged.upload_ms > 20000


def test_upload_time_passes_before_submission(tmp_path):
    """The application is submitted only after the uploads took their virtual time."""
    harness = ClientHarness(tmp_path, dist_size="realistic")
    client = harness.deploy_session()
    submitted = harness.app(client.application_id).submit_time
    created = client.staged.local_resources["log4j.properties"].timestamp
    assert submitted - created >= client.staged.upload_ms - 1


def _provided(harness):
    lib, plugins = harness.flink_home.publish(harness.fs, "/flink/1.18.1", "hdfs")
    return f"hdfs://{lib};hdfs://{plugins}"


def test_provided_lib_dirs_upload_nothing_of_flink_and_register_public_resources(tmp_path):
    """With provided lib dirs only the two config files are uploaded; Flink's jars are PUBLIC."""
    harness = ClientHarness(tmp_path)
    config = harness.config.set("yarn.provided.lib.dirs", _provided(harness))
    client = harness.deploy_session(config)
    assert sorted(harness.staged_files(client.application_id)) == [
        "flink-conf.yaml", "log4j.properties"]
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}/lib")
    resources = _launch_context(harness, client).local_resources
    dist = resources["lib/flink-dist-1.18.1.jar"]
    assert dist.visibility is LocalResourceVisibility.PUBLIC
    assert dist.resource.file == "/flink/1.18.1/lib/flink-dist-1.18.1.jar"
    assert resources["plugins/metrics-jmx/flink-metrics-jmx-1.18.1.jar"].visibility is \
        LocalResourceVisibility.PUBLIC
    assert resources["flink-conf.yaml"].visibility is LocalResourceVisibility.APPLICATION
    environment = _launch_context(harness, client).environment
    assert YarnLocalResourceDescriptor.parse(environment[ENV_FLINK_DIST_JAR]).key == \
        "lib/flink-dist-1.18.1.jar"
    assert client.staged.bytes_uploaded < 3000
    assert "lib/flink-dist-1.18.1.jar:flink-conf.yaml:" in client.staged.classpath
    assert "plugins/" not in client.staged.classpath


def test_provided_lib_dirs_without_the_dist_jar_are_refused(tmp_path):
    """Provided lib dirs without flink-dist fail the deployment and leave no staging directory."""
    harness = ClientHarness(tmp_path)
    _, plugins = harness.flink_home.publish(harness.fs, "/flink/1.18.1", "hdfs")
    config = harness.config.set("yarn.provided.lib.dirs", f"hdfs://{plugins}")
    error = harness.failure_of(harness.descriptor_for(config).deploy_session_cluster(
        harness.spec()))
    assert isinstance(error, ClusterDeploymentException)
    assert str(error.__cause__) == (
        'The "yarn.provided.lib.dirs" has to also include the lib/, plugin/ and flink-dist jar. '
        "In other case, it cannot be used.")
    assert harness.fs.list_status("/user/alice/.flink") == []
    assert "Cancelling deployment from Deployment Failure Hook" in harness.client_messages()


def test_local_provided_lib_dir_is_refused(tmp_path):
    """A local directory in ``yarn.provided.lib.dirs`` is Flink's IllegalArgumentException."""
    harness = ClientHarness(tmp_path)
    config = harness.config.set("yarn.provided.lib.dirs", "file:///opt/flink/lib")
    error = harness.failure_of(harness.descriptor_for(config).deploy_session_cluster(
        harness.spec()))
    assert isinstance(error.__cause__, IllegalArgumentException)
    assert str(error.__cause__) == (
        'The "yarn.provided.lib.dirs" should only contain dirs accessible from all worker '
        'nodes, while the "file:/opt/flink/lib" is local.')


def test_missing_provided_lib_dir_is_only_a_warning(tmp_path):
    """A provided lib dir that does not exist is ignored with Flink's WARN."""
    harness = ClientHarness(tmp_path)
    config = harness.config.set("yarn.provided.lib.dirs",
                                _provided(harness) + ";hdfs:///flink/missing")
    harness.deploy_session(config)
    assert ("Provided lib dir hdfs:///flink/missing does not exist or is not a directory. "
            "Ignoring.") in harness.client_messages("WARN")


def test_ship_files_keep_their_directory_structure(tmp_path):
    """``yarn.ship-files`` directories are shipped under their own name and put on the classpath."""
    extra = tmp_path / "extra"
    (extra / "nested").mkdir(parents=True)
    (extra / "a.txt").write_text("a")
    (extra / "nested" / "b.jar").write_bytes(b"jar")
    single = tmp_path / "single.properties"
    single.write_text("x=1")
    harness = ClientHarness(tmp_path, flink_config={
        "yarn.ship-files": f"{extra};{single}"})
    client = harness.deploy_session()
    staged = harness.staged_files(client.application_id)
    assert staged["extra/a.txt"] == 1
    assert staged["extra/nested/b.jar"] == 3
    assert staged["single.properties"] == 3
    keys = {d.key for d in parse_descriptors(
        _launch_context(harness, client).environment[ENV_CLIENT_SHIP_FILES])}
    assert {"extra/a.txt", "extra/nested/b.jar", "single.properties"} <= keys
    assert client.staged.classpath.startswith(":extra:extra/nested/b.jar:lib/")


def test_ship_archives_are_registered_as_archives(tmp_path):
    """``yarn.ship-archives`` are uploaded and localized as ARCHIVE resources."""
    archive = tmp_path / "resources.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("data.txt", "hello")
    harness = ClientHarness(tmp_path, flink_config={"yarn.ship-archives": str(archive)})
    client = harness.deploy_session()
    resource = _launch_context(harness, client).local_resources["resources.zip"]
    assert resource.type is LocalResourceType.ARCHIVE
    assert "resources.zip" not in client.staged.classpath


def test_non_archive_ship_archive_is_refused(tmp_path):
    """A ship archive that is not an archive fails with Flink's message."""
    harness = ClientHarness(tmp_path, flink_config={"yarn.ship-archives": str(tmp_path)})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    assert str(error.__cause__) == "Directories or non-archive files are included."


def test_per_job_stages_the_job_graph(tmp_path):
    """A per-job deployment ships the JobGraph as job.graph and points the config at it."""
    harness = ClientHarness(tmp_path)
    graph = small_job_graph()
    client = harness.run(harness.descriptor.deploy_job_cluster(harness.spec(), graph, False))
    directory = f"/user/alice/.flink/{client.application_id}"
    assert JobGraph.from_bytes(harness.fs.read_bytes(f"{directory}/job.graph")) == graph
    staged = Configuration.from_flink_conf(
        harness.fs.read_bytes(f"{directory}/flink-conf.yaml").decode())
    assert staged["internal.jobgraph-path"] == "job.graph"
    assert client.staged.classpath.endswith(":flink-dist-1.18.1.jar:job.graph:flink-conf.yaml:")
    keys = [d.key for d in client.staged.ship_descriptors]
    assert "job.graph" in keys and "flink-dist-1.18.1.jar" not in keys


def test_per_job_uploads_local_user_artifacts_and_rewrites_their_paths(tmp_path):
    """Local cached files of a per-job JobGraph are uploaded first and point at their copies."""
    artifact = tmp_path / "lookup.csv"
    artifact.write_text("k,v\n")
    env = StreamExecutionEnvironment()
    env.register_cached_file(str(artifact), "lookup")
    env.from_sequence(1, 10).print()
    graph = env.get_job_graph("with artifact")
    harness = ClientHarness(tmp_path)
    client = harness.run(harness.descriptor.deploy_job_cluster(harness.spec(), graph, True))
    remote = f"/user/alice/.flink/{client.application_id}/lookup/lookup.csv"
    assert harness.fs.read_bytes(remote) == b"k,v\n"
    assert dict(client.staged.job_graph.user_artifacts) == {"lookup": f"hdfs://{remote}"}


def test_application_mode_ships_the_program_file_in_usrlib(tmp_path):
    """An application cluster's program file is uploaded to usrlib/ and named in the config."""
    program = tmp_path / "jobs" / "my_job.py"
    program.parent.mkdir()
    program.write_text("def run(args):\n    return args\n")
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-application"})
    client = harness.run(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration(f"{program}:run", ["--records", "5"])))
    directory = f"/user/alice/.flink/{client.application_id}"
    assert harness.fs.read_bytes(f"{directory}/usrlib/my_job.py") == program.read_bytes()
    staged = Configuration.from_flink_conf(
        harness.fs.read_bytes(f"{directory}/flink-conf.yaml").decode())
    assert staged["$internal.application.main"] == "usrlib/my_job.py:run"
    assert staged.get_list("$internal.application.program-args") == ["--records", "5"]
    assert "usrlib/my_job.py" in _launch_context(harness, client).local_resources


def test_application_mode_with_a_builtin_program_uploads_no_program(tmp_path):
    """A built-in program is named in the config and nothing is uploaded for it."""
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-application"})
    client = harness.run(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration("wordcount")))
    directory = f"/user/alice/.flink/{client.application_id}"
    assert not harness.fs.exists(f"{directory}/usrlib")
    staged = Configuration.from_flink_conf(
        harness.fs.read_bytes(f"{directory}/flink-conf.yaml").decode())
    assert staged["$internal.application.main"] == "wordcount"
    assert "$internal.application.program-args" not in staged


def test_remote_ship_files_are_registered_in_place(tmp_path):
    """A ship file already on HDFS is registered where it is, not copied."""
    harness = ClientHarness(tmp_path, flink_config={"yarn.ship-files": "hdfs:///shared/extra.txt"})
    harness.fs.create("/shared/extra.txt", b"shared", "hdfs")
    client = harness.deploy_session()
    resource = _launch_context(harness, client).local_resources["extra.txt"]
    assert resource.resource.file == "/shared/extra.txt"
    assert resource.visibility is LocalResourceVisibility.APPLICATION
    assert "extra.txt" not in harness.staged_files(client.application_id)


def test_per_job_user_jars_follow_the_inclusion_mode(tmp_path):
    """Per-job user jars go to the working directory, or to usrlib/ when inclusion is DISABLED."""
    jar = tmp_path / "job.jar"
    jar.write_bytes(b"PK")
    env = StreamExecutionEnvironment({"pipeline.jars": str(jar)})
    env.from_sequence(1, 10).print()
    graph = env.get_job_graph("with jar")
    ordered = ClientHarness(tmp_path / "order")
    client = ordered.run(ordered.descriptor.deploy_job_cluster(ordered.spec(), graph, True))
    assert "job.jar" in ordered.staged_files(client.application_id)
    assert ":job.jar:lib/" in client.staged.classpath
    disabled = ClientHarness(tmp_path / "disabled", flink_config={
        "yarn.classpath.include-user-jar": "DISABLED"})
    client = disabled.run(disabled.descriptor.deploy_job_cluster(disabled.spec(), graph, True))
    assert "usrlib/job.jar" in disabled.staged_files(client.application_id)
    assert "job.jar" not in client.staged.classpath
