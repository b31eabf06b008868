"""
Tests for :mod:`flinkyarn.client.launch_context`: the JobManager's command line and environment.
"""

from flinkyarn.client import ApplicationConfiguration
from flinkyarn.client.launch_context import application_master_command, logging_command
from flinkyarn.config import Configuration, JobManagerProcessSpec
from flinkyarn.yarn import constants as c
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor, parse_descriptors
from tests.flinkyarn.client_harness import ClientHarness, small_job_graph
from yarnemu.records.states import LocalResourceVisibility

SESSION_COMMAND = (
    "$JAVA_HOME/bin/java -Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456 "
    "-XX:+IgnoreUnrecognizedVMOptions -Dlog.file=\"<LOG_DIR>/jobmanager.log\" "
    "-Dlog4j.configuration=file:log4j.properties -Dlog4j.configurationFile=file:log4j.properties "
    "org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint "
    "-D jobmanager.memory.off-heap.size=134217728b "
    "-D jobmanager.memory.jvm-overhead.min=201326592b "
    "-D jobmanager.memory.jvm-metaspace.size=268435456b -D jobmanager.memory.heap.size=1073741824b "
    "-D jobmanager.memory.jvm-overhead.max=201326592b "
    "1> <LOG_DIR>/jobmanager.out 2> <LOG_DIR>/jobmanager.err"
)


def _log4j_config(**values):
    return Configuration.shipped_default().with_values(
        {"$internal.yarn.log-config-file": "/opt/flink/conf/log4j.properties", **values})


def test_session_command_fills_flinks_start_command_template():
    """The AM command is Flink's template filled with the JobManager's JVM and dynamic settings."""
    config = _log4j_config()
    command = application_master_command(config, c.SESSION_ENTRYPOINT,
                                         JobManagerProcessSpec.from_config(config))
    assert command == SESSION_COMMAND


def test_custom_start_command_template():
    """``yarn.container-start-command-template`` rearranges the command."""
    config = _log4j_config(**{"yarn.container-start-command-template": "%java% %class% %args%"})
    command = application_master_command(config, c.JOB_ENTRYPOINT,
                                         JobManagerProcessSpec.from_config(config))
    assert command.startswith(
        "$JAVA_HOME/bin/java org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint -D ")
    assert "1>" not in command


def test_logging_command_follows_the_log_configuration_file():
    """log4j and logback configurations get their JVM options; none gets no options."""
    assert logging_command(Configuration()) == ""
    logback = Configuration({"$internal.yarn.log-config-file": "/conf/logback.xml"})
    assert logging_command(logback) == (
        '-Dlog.file="<LOG_DIR>/jobmanager.log" -Dlogback.configurationFile=file:logback.xml')


def test_deployed_session_gets_the_command_and_the_environment_the_entrypoint_reads(tmp_path):
    """The submitted AM container has Flink's command and every YarnConfigKeys variable."""
    harness = ClientHarness(tmp_path, flink_config={
        "containerized.master.env.FOO": "bar", "containerized.master.env.HADOOP_USER_NAME": "x"})
    client = harness.deploy_session()
    spec = harness.app(client.application_id).submission_context.am_container_spec
    assert list(spec.commands) == [SESSION_COMMAND]
    environment = dict(spec.environment)
    app_dir = f"/user/alice/.flink/{client.application_id}"
    assert environment["FOO"] == "bar"
    assert environment[c.ENV_HADOOP_USER_NAME] == "alice"
    assert environment[c.ENV_APP_ID] == str(client.application_id)
    assert environment[c.ENV_FLINK_YARN_FILES] == f"hdfs://{app_dir}"
    assert environment[c.ENV_CLIENT_HOME_DIR] == "hdfs:///user/alice"
    assert environment[c.ENV_FLINK_LIB_DIR] == "./lib"
    assert environment[c.ENV_FLINK_OPT_DIR] == "./opt"
    dist = YarnLocalResourceDescriptor.parse(environment[c.ENV_FLINK_DIST_JAR])
    assert dist.key == "flink-dist-1.18.1.jar"
    assert dist.path == f"hdfs://{app_dir}/flink-dist-1.18.1.jar"
    assert dist.size == harness.fs.get_file_status(f"{app_dir}/flink-dist-1.18.1.jar").length
    assert dist.visibility is LocalResourceVisibility.APPLICATION
    shipped = parse_descriptors(environment[c.ENV_CLIENT_SHIP_FILES])
    keys = [descriptor.key for descriptor in shipped]
    assert keys[0] == "log4j.properties" and keys[-1] == "flink-conf.yaml"
    assert "lib/log4j-core-2.17.1.jar" in keys and "flink-dist-1.18.1.jar" not in keys
    assert {d.to_local_resource() for d in shipped} <= set(spec.local_resources.values())
    classpath = environment[c.ENV_FLINK_CLASSPATH]
    assert classpath.startswith(":lib/flink-cep-1.18.1.jar:")
    assert classpath.endswith(":flink-dist-1.18.1.jar:flink-conf.yaml:")
    assert environment["CLASSPATH"] == classpath + ":$HADOOP_CONF_DIR:" \
        "$HADOOP_COMMON_HOME/share/hadoop/common/*:$HADOOP_COMMON_HOME/share/hadoop/common/lib/*:" \
        "$HADOOP_HDFS_HOME/share/hadoop/hdfs/*:$HADOOP_HDFS_HOME/share/hadoop/hdfs/lib/*:" \
        "$HADOOP_YARN_HOME/share/hadoop/yarn/*:$HADOOP_YARN_HOME/share/hadoop/yarn/lib/*"


def test_per_job_and_application_clusters_start_their_entrypoints(tmp_path):
    """Per-job and application deployments name their entrypoint class in the command."""
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-application"})
    job = harness.run(harness.descriptor.deploy_job_cluster(
        harness.spec(), small_job_graph(), True))
    application = harness.run(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration("wordcount")))
    for client, entrypoint in ((job, c.JOB_ENTRYPOINT), (application, c.APPLICATION_ENTRYPOINT)):
        command = harness.app(client.application_id).submission_context.am_container_spec.commands
        assert f" {entrypoint} -D " in command[0]
