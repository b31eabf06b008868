"""Tests for :mod:`flinkyarn.yarn.taskmanager_context`: a TaskManager container's launch context."""

import pytest

from flinkyarn.config import Configuration, TaskExecutorProcessSpec
from flinkyarn.runtime.process import parse_dynamic_properties
from flinkyarn.yarn.constants import (
    ENV_CLIENT_SHIP_FILES,
    ENV_FLINK_CLASSPATH,
    ENV_FLINK_DIST_JAR,
    TASK_EXECUTOR_RUNNER,
)
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor, join_descriptors
from flinkyarn.yarn.taskmanager_context import (
    create_task_executor_launch_context,
    dynamic_properties_text,
    task_manager_environment,
    task_manager_local_resources,
    task_manager_start_command,
)
from yarnemu.nodemanager.command import parse_command
from yarnemu.records.containers import URL
from yarnemu.records.ids import ContainerId, NodeId
from yarnemu.records.states import LocalResourceVisibility

CONTAINER = ContainerId.parse("container_1767225600000_0001_01_000002")
NODE = NodeId("node-2", 45454)
DIST = YarnLocalResourceDescriptor(
    "flink-dist.jar", "hdfs://namenode:8020/user/alice/.flink/application_1/flink-dist.jar",
    1100, 1767225601000, LocalResourceVisibility.APPLICATION)
CONF = YarnLocalResourceDescriptor(
    "flink-conf.yaml", "hdfs://namenode:8020/user/alice/.flink/application_1/flink-conf.yaml",
    120, 1767225601000, LocalResourceVisibility.APPLICATION)
LOG4J = YarnLocalResourceDescriptor(
    "log4j.properties", "hdfs://namenode:8020/user/alice/.flink/application_1/log4j.properties",
    24, 1767225601000, LocalResourceVisibility.APPLICATION)
ENVIRONMENT = {
    ENV_FLINK_DIST_JAR: str(DIST),
    ENV_CLIENT_SHIP_FILES: join_descriptors([CONF, LOG4J]),
    ENV_FLINK_CLASSPATH: ":flink-dist.jar:flink-conf.yaml:",
}
JVM = ("-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 "
       "-XX:MaxMetaspaceSize=268435456")


def context(tmp_path, config=None, client_config=None, environment=ENVIRONMENT):
    config = config or Configuration.shipped_default()
    return create_task_executor_launch_context(
        config=config, client_config=client_config or Configuration.shipped_default(),
        spec=TaskExecutorProcessSpec.for_yarn(config), container_id=CONTAINER, node_id=NODE,
        environment=environment, working_dir=tmp_path, jobmanager_host="node-1",
        jobmanager_rpc_port=32768, user="alice")


def test_command_follows_flinks_template_and_order(tmp_path):
    """The command is java, JVM memory, JVM options, logging, the runner, its -D arguments,
    --configDir, the dynamic properties and the redirects, as Flink's default template orders
    them."""
    (tmp_path / "log4j.properties").write_text("rootLogger.level = INFO\n")
    (command,) = context(tmp_path).commands
    spec = TaskExecutorProcessSpec.for_yarn(Configuration.shipped_default())
    head, _, tail = command.partition(" --configDir . ")
    assert head == (
        f"$JAVA_HOME/bin/java {JVM} -XX:+IgnoreUnrecognizedVMOptions "
        "-Dlog.file=<LOG_DIR>/taskmanager.log -Dlog4j.configuration=file:./log4j.properties "
        "-Dlog4j.configurationFile=file:./log4j.properties "
        f"{TASK_EXECUTOR_RUNNER} {spec.dynamic_properties()}")
    properties, _, redirects = tail.partition(" 1> ")
    # In the order Flink's HashMap iterates the TaskManager configuration's keys.
    assert properties.split() == [
        "-Dtaskmanager.resource-id='container_1767225600000_0001_01_000002'",
        "-Djobmanager.rpc.address='node-1'",
        "-Dinternal.taskmanager.resource-id.metadata='node-2:45454'",
        "-Djobmanager.rpc.port='32768'",
    ]
    assert redirects == "<LOG_DIR>/taskmanager.out 2> <LOG_DIR>/taskmanager.err"


def test_logging_options_need_a_log4j_file_in_the_working_directory(tmp_path):
    """Without log4j.properties (or logback.xml) in the JobManager's working directory the
    command has no logging options, as in Flink."""
    (command,) = context(tmp_path).commands
    assert "-Dlog.file" not in command
    assert f"-XX:+IgnoreUnrecognizedVMOptions {TASK_EXECUTOR_RUNNER}" in command


def test_logback_adds_its_configuration_file(tmp_path):
    """With logback.xml in the working directory the command names it after the log file."""
    (tmp_path / "logback.xml").write_text("<configuration/>\n")
    (command,) = context(tmp_path).commands
    assert ("-Dlog.file=<LOG_DIR>/taskmanager.log -Dlogback.configurationFile=file:./logback.xml "
            f"{TASK_EXECUTOR_RUNNER}") in command


def test_dynamic_properties_are_the_difference_to_the_uploaded_configuration():
    """Only keys the base lacks or has with another value become -D properties, single-quoted,
    as BootstrapTools.getDynamicPropertiesAsString does."""
    base = Configuration({"key.a": "a", "key.b": "b1"})
    target = Configuration({"key.a": "a", "key.b": "b2", "key.c": "c"})
    assert dynamic_properties_text(base, target) == "-Dkey.b='b2' -Dkey.c='c'"


def test_dynamic_property_values_escape_single_quotes():
    """A single quote in a value is closed, escaped and reopened for the shell."""
    text = dynamic_properties_text(Configuration(), Configuration({"k": "foo'bar"}))
    assert text == "-Dk='foo'\\''bar'"


def test_jobmanager_settings_not_in_the_uploaded_file_reach_the_taskmanager(tmp_path):
    """Settings the JobManager's configuration has beyond the uploaded file (rest.address, …)
    are passed on the command line too."""
    config = Configuration.shipped_default().with_values({"rest.address": "node-1"})
    (command,) = context(tmp_path, config=config).commands
    assert "-Drest.address='node-1'" in command


def test_command_runs_the_task_executor_runner_with_its_configuration(tmp_path):
    """The NodeManager resolves the runner and passes it the -D properties and --configDir, from
    which the TaskManager reads its memory, resource id and JobManager address."""
    launch = context(tmp_path)
    invocation = parse_command(launch.commands, {"JAVA_HOME": "/usr/lib/jvm"}, "/logs",
                               lambda name: name == TASK_EXECUTOR_RUNNER)
    assert invocation.program == TASK_EXECUTOR_RUNNER
    assert invocation.stdout == "/logs/taskmanager.out"
    properties, rest = parse_dynamic_properties(invocation.args)
    assert rest == ["--configDir", "."]
    assert properties["taskmanager.resource-id"] == str(CONTAINER)
    assert properties["internal.taskmanager.resource-id.metadata"] == "node-2:45454"
    assert properties["jobmanager.rpc.address"] == "node-1"
    assert properties["jobmanager.rpc.port"] == "32768"
    assert properties["taskmanager.memory.task.heap.size"] == "402653174b"
    assert properties["taskmanager.numberOfTaskSlots"] == "1"


def test_custom_start_command_template_is_honoured(tmp_path):
    """``yarn.container-start-command-template`` decides which parts appear, in its order."""
    config = Configuration.shipped_default().with_values(
        {"yarn.container-start-command-template": "%java% %class% %redirects%"})
    (command,) = context(tmp_path, config=config).commands
    assert command == (f"$JAVA_HOME/bin/java {TASK_EXECUTOR_RUNNER} "
                       "1> <LOG_DIR>/taskmanager.out 2> <LOG_DIR>/taskmanager.err")


def test_taskmanager_jvm_options_come_before_ignore_unrecognized():
    """``env.java.opts.all`` and ``env.java.opts.taskmanager`` go into %jvmopts%, in that order."""
    config = Configuration.shipped_default().with_values({
        "env.java.opts.all": "-Dall=1", "env.java.opts.taskmanager": "-Dtm=1"})
    spec = TaskExecutorProcessSpec.for_yarn(config)
    command = task_manager_start_command(config, spec, "", has_logback=False, has_log4j=False)
    assert f"{JVM} -Dall=1 -Dtm=1 -XX:+IgnoreUnrecognizedVMOptions {TASK_EXECUTOR_RUNNER}" \
        in command


def test_local_resources_come_from_the_jobmanagers_descriptors():
    """flink-dist and every shipped file are registered under their keys, with the size and
    timestamp the client registered."""
    resources = task_manager_local_resources(ENVIRONMENT)
    assert list(resources) == ["flink-dist.jar", "flink-conf.yaml", "log4j.properties"]
    dist = resources["flink-dist.jar"]
    assert dist.resource == URL(scheme="hdfs", host="namenode", port=8020,
                                file="/user/alice/.flink/application_1/flink-dist.jar")
    assert (dist.size, dist.timestamp) == (1100, 1767225601000)


def test_environment_has_flinks_variables():
    """The TaskManager gets containerized.taskmanager.env.*, _FLINK_CLASSPATH, CLASSPATH,
    HADOOP_USER_NAME and _FLINK_NODE_ID."""
    config = Configuration.shipped_default().with_values(
        {"containerized.taskmanager.env.LD_LIBRARY_PATH": "/opt/native"})
    env = task_manager_environment(config, ENVIRONMENT, "node-2", "alice")
    assert env["LD_LIBRARY_PATH"] == "/opt/native"
    assert env["_FLINK_CLASSPATH"] == ":flink-dist.jar:flink-conf.yaml:"
    assert env["CLASSPATH"].startswith(":flink-dist.jar:flink-conf.yaml::$HADOOP_CONF_DIR:")
    assert env["CLASSPATH"].endswith("$HADOOP_YARN_HOME/share/hadoop/yarn/lib/*")
    assert env["HADOOP_USER_NAME"] == "alice"
    assert env["_FLINK_NODE_ID"] == "node-2"


def test_yarn_application_classpath_replaces_the_default():
    """``flink.yarn.application.classpath`` (Hadoop's yarn.application.classpath) is used when
    set, split at commas."""
    config = Configuration.shipped_default().with_values(
        {"flink.yarn.application.classpath": "/etc/hadoop, /opt/hadoop/*"})
    env = task_manager_environment(config, ENVIRONMENT, "node-2", "alice")
    assert env["CLASSPATH"] == ":flink-dist.jar:flink-conf.yaml::/etc/hadoop:/opt/hadoop/*"


@pytest.mark.parametrize("name", [ENV_FLINK_DIST_JAR, ENV_CLIENT_SHIP_FILES, ENV_FLINK_CLASSPATH])
def test_missing_environment_variable_is_an_error(tmp_path, name):
    """A JobManager environment without one of Flink's variables cannot start TaskManagers."""
    environment = {key: value for key, value in ENVIRONMENT.items() if key != name}
    with pytest.raises(ValueError, match=f"Environment variable {name} not set"):
        context(tmp_path, environment=environment)
