"""
The JobManager's (application master's) ``ContainerLaunchContext``, as
``YarnClusterDescriptor.setupApplicationMasterContainer`` and ``generateApplicationMasterEnv``
build it: the start command from ``yarn.container-start-command-template``, the environment the
entrypoint reads (``flinkyarn.yarn.constants``), and the staged files as local resources.

With the shipped configuration the command is (one line)::

    $JAVA_HOME/bin/java -Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456
    -XX:+IgnoreUnrecognizedVMOptions -Dlog.file="<LOG_DIR>/jobmanager.log"
    -Dlog4j.configuration=file:log4j.properties -Dlog4j.configurationFile=file:log4j.properties
    org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint
    -D jobmanager.memory.off-heap.size=134217728b -D jobmanager.memory.jvm-overhead.min=201326592b
    -D jobmanager.memory.jvm-metaspace.size=268435456b -D jobmanager.memory.heap.size=1073741824b
    -D jobmanager.memory.jvm-overhead.max=201326592b
    1> <LOG_DIR>/jobmanager.out 2> <LOG_DIR>/jobmanager.err
"""

from flinkyarn.client.staging import LOG_CONFIG_FILE_OPTION
from flinkyarn.config import options as o
from flinkyarn.yarn import constants as c
from flinkyarn.yarn.container_command import (
    LOG_DIR,
    container_classpath,
    jvm_options,
    prefixed_environment,
    start_command,
)
from flinkyarn.yarn.resource_descriptor import join_descriptors
from yarnemu.records.containers import ContainerLaunchContext

__all__ = [
    "logging_command",
    "application_master_command",
    "application_master_environment",
    "application_master_container",
    "MASTER_ENV_PREFIX",
]

MASTER_ENV_PREFIX = "containerized.master.env."


def logging_command(config):
    """
    ``YarnLogConfigUtil.getLoggingYarnCommand``: the JVM options that point the JobManager's
    logging at ``<LOG_DIR>/jobmanager.log`` and the shipped log configuration; empty without one.
    """
    log_config = config.get_str(LOG_CONFIG_FILE_OPTION, None)
    log_file = f'-Dlog.file="{LOG_DIR}/jobmanager.log"'
    if log_config is None:
        return ""
    if log_config.endswith("log4j.properties"):
        return (f"{log_file} -Dlog4j.configuration=file:log4j.properties "
                "-Dlog4j.configurationFile=file:log4j.properties")
    if log_config.endswith("logback.xml"):
        return f"{log_file} -Dlogback.configurationFile=file:logback.xml"
    return ""


def application_master_command(config, entrypoint, process_spec):
    """
    :param config: the effective configuration.
    :param str entrypoint: the entrypoint class (``flinkyarn.yarn.constants``).
    :param process_spec: the JobManager's :class:`~flinkyarn.config.JobManagerProcessSpec`.
    :return: the AM's start command line.
    """
    values = {
        "java": "$JAVA_HOME/bin/java",
        "jvmmem": process_spec.jvm_parameters(config),
        "jvmopts": jvm_options(config, "jobmanager"),
        "logging": logging_command(config),
        "class": entrypoint,
        "redirects": f"1> {LOG_DIR}/jobmanager.out 2> {LOG_DIR}/jobmanager.err",
        "args": process_spec.dynamic_properties(),
    }
    return start_command(config.get(o.YARN_CONTAINER_START_COMMAND_TEMPLATE), values)


def application_master_environment(config, staged, application_id, user, yarn_classpath=None):
    """
    :param config: the effective configuration (``containerized.master.env.*`` are copied,
        prefix stripped, before Flink's own variables, which win).
    :param staged: the deployment's :class:`~flinkyarn.client.staging.StagedApplication`.
    :param str user: the submitting user (``HADOOP_USER_NAME``).
    :param yarn_classpath: ``yarn.application.classpath`` entries (Hadoop's default if ``None``).
    :return: the AM's environment, an ordered dict.
    """
    environment = prefixed_environment(config, MASTER_ENV_PREFIX)
    environment[c.ENV_FLINK_CLASSPATH] = staged.classpath
    environment[c.ENV_FLINK_LIB_DIR] = "./lib"
    environment[c.ENV_FLINK_OPT_DIR] = "./opt"
    environment[c.ENV_FLINK_DIST_JAR] = str(staged.dist_descriptor)
    environment[c.ENV_APP_ID] = str(application_id)
    environment[c.ENV_CLIENT_HOME_DIR] = staged.staging_root_uri
    environment[c.ENV_CLIENT_SHIP_FILES] = join_descriptors(staged.ship_descriptors)
    environment[c.ENV_FLINK_YARN_FILES] = staged.application_dir_uri
    environment[c.ENV_HADOOP_USER_NAME] = user
    environment["CLASSPATH"] = container_classpath(staged.classpath, yarn_classpath)
    return environment


def application_master_container(config, entrypoint, process_spec, staged, application_id, user,
                                 yarn_classpath=None):
    """
    :return: the AM's ``ContainerLaunchContext``: one command, the environment, and every staged
        file as a local resource.
    """
    return ContainerLaunchContext(
        local_resources=staged.local_resources,
        environment=application_master_environment(config, staged, application_id, user,
                                                   yarn_classpath),
        commands=[application_master_command(config, entrypoint, process_spec)],
    )
