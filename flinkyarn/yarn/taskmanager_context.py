"""
The ``ContainerLaunchContext`` of a TaskManager container, as Flink's YARN ResourceManager builds
it (``Utils.createTaskExecutorContext``, ``getTaskManagerShellCommand``,
``BootstrapTools.getDynamicPropertiesAsString``).

- **Command** (template ``yarn.container-start-command-template``,
  ``%java% %jvmmem% %jvmopts% %logging% %class% %args% %redirects%``)::

    $JAVA_HOME/bin/java -Xmx… -Xms… -XX:MaxDirectMemorySize=… -XX:MaxMetaspaceSize=…
    -XX:+IgnoreUnrecognizedVMOptions -Dlog.file=<LOG_DIR>/taskmanager.log
    -Dlog4j.configuration=file:./log4j.properties -Dlog4j.configurationFile=file:./log4j.properties
    org.apache.flink.yarn.YarnTaskExecutorRunner -D taskmanager.memory.….=… --configDir .
    -Djobmanager.rpc.address='…' -Dtaskmanager.resource-id='container_…' …
    1> <LOG_DIR>/taskmanager.out 2> <LOG_DIR>/taskmanager.err

  The first ``-D`` block is the TaskExecutor spec's memory and slots; the quoted ``-Dkey='value'``
  block is every setting the JobManager's configuration has that the uploaded configuration file
  does not (or has differently), which includes the JobManager's RPC address and port and the
  TaskManager's resource id (the container id) and its metadata (the node id).  The logging
  options appear only when the JobManager's working directory has ``log4j.properties`` (or
  ``logback.xml``), as in Flink.
- **Local resources**: flink-dist from ``_FLINK_DIST_JAR`` and every shipped file from
  ``_CLIENT_SHIP_FILES``, both read from the JobManager's own environment.
- **Environment**: ``containerized.taskmanager.env.*`` (prefix stripped), ``_FLINK_CLASSPATH``,
  ``CLASSPATH`` (``_FLINK_CLASSPATH`` then ``yarn.application.classpath``), ``HADOOP_USER_NAME``
  and ``_FLINK_NODE_ID`` (the TaskManager's host).
"""

import os

from flinkyarn.config import Configuration
from flinkyarn.config import options as o
from flinkyarn.config.java_hash_map import hash_map_order
from flinkyarn.yarn.container_command import (
    LOG_DIR,
    container_classpath,
    jvm_options,
    prefixed_environment,
    start_command,
)
from flinkyarn.yarn.constants import (
    ENV_CLIENT_SHIP_FILES,
    ENV_FLINK_CLASSPATH,
    ENV_FLINK_DIST_JAR,
    ENV_FLINK_NODE_ID,
    ENV_HADOOP_USER_NAME,
    LOG_CONFIG_FILE_NAME,
    TASK_EXECUTOR_RUNNER,
)
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor, parse_descriptors
from yarnemu.records.containers import ContainerLaunchContext

__all__ = [
    "create_task_executor_launch_context",
    "task_manager_config",
    "dynamic_properties_text",
    "task_manager_start_command",
    "task_manager_local_resources",
    "task_manager_environment",
    "client_configuration",
    "TASK_MANAGER_RESOURCE_ID",
    "TASK_MANAGER_RESOURCE_ID_METADATA",
    "TASK_MANAGER_ENV_PREFIX",
]

TASK_MANAGER_RESOURCE_ID = "taskmanager.resource-id"
TASK_MANAGER_RESOURCE_ID_METADATA = "internal.taskmanager.resource-id.metadata"
TASK_MANAGER_ENV_PREFIX = "containerized.taskmanager.env."
LOGBACK_CONFIG_FILE_NAME = "logback.xml"
_YARN_APPLICATION_CLASSPATH_KEY = "flink.yarn.application.classpath"


def create_task_executor_launch_context(*, config, client_config, spec, container_id, node_id,
                                        environment, working_dir, jobmanager_host,
                                        jobmanager_rpc_port, user):
    """
    Build a TaskManager container's launch context (``createTaskExecutorLaunchContext``).

    :param config: the JobManager's effective :class:`~flinkyarn.config.Configuration`.
    :param client_config: the configuration the client uploaded (the file in the JobManager's
        working directory): what TaskManagers read themselves, so only the differences go on
        the command line.
    :param spec: the ``TaskExecutorProcessSpec`` to start.
    :param container_id: the container (its id is the TaskManager's resource id).
    :param node_id: the container's node (its host is the TaskManager's ``_FLINK_NODE_ID``).
    :param environment: the JobManager's environment (``_FLINK_DIST_JAR``, …).
    :param working_dir: the JobManager's working directory.
    :param str jobmanager_host: where TaskManagers find the JobManager's RPC service…
    :param int jobmanager_rpc_port: …and on which port.
    :param str user: the user TaskManagers run as (``HADOOP_USER_NAME``).
    :return: a :class:`~yarnemu.records.containers.ContainerLaunchContext`.
    :raise ValueError: ``Environment variable … not set`` when one of the JobManager's
        variables Flink requires is missing.
    """
    tm_config = task_manager_config(config, jobmanager_host, jobmanager_rpc_port, container_id,
                                    node_id)
    command = task_manager_start_command(
        config, spec, dynamic_properties_text(client_config, tm_config),
        has_logback=os.path.exists(os.path.join(str(working_dir), LOGBACK_CONFIG_FILE_NAME)),
        has_log4j=os.path.exists(os.path.join(str(working_dir), LOG_CONFIG_FILE_NAME)),
    )
    local_resources = task_manager_local_resources(environment)
    env = task_manager_environment(config, environment, node_id.host, user)
    return ContainerLaunchContext(local_resources=local_resources, environment=env,
                                  commands=[command])


def task_manager_config(config, jobmanager_host, jobmanager_rpc_port, container_id, node_id):
    """
    :return: the configuration a TaskManager in ``container_id`` should run with: the
        JobManager's, with its RPC address and port, and the TaskManager's resource id and its
        metadata.
    """
    return config.with_values({
        o.JM_RPC_ADDRESS.key: jobmanager_host,
        o.JM_RPC_PORT.key: str(jobmanager_rpc_port),
        TASK_MANAGER_RESOURCE_ID: str(container_id),
        TASK_MANAGER_RESOURCE_ID_METADATA: str(node_id),
    })


def dynamic_properties_text(base_config, target_config):
    """
    Flink's ``getDynamicPropertiesAsString``: ``-Dkey='value'`` for every key of
    ``target_config`` that ``base_config`` lacks or has with another value, in the order Flink's
    ``HashMap`` iterates the target's keys; values are single-quoted for a POSIX shell.
    """
    keys = hash_map_order(target_config.keys())
    parts = []
    for key in keys:
        value = target_config[key]
        if key not in base_config or base_config[key] != value:
            parts.append(f"-D{key}={_single_quoted(value)}")
    return " ".join(parts)


def task_manager_start_command(config, spec, dynamic_properties, *, has_logback, has_log4j,
                               config_directory=".", log_directory=LOG_DIR):
    """
    Flink's ``getTaskManagerShellCommand``: the template's placeholders replaced, in the order
    Flink's ``HashMap`` iterates them, each replacement followed by collapsing double spaces and
    trimming, exactly as Flink's ``getStartCommand``.

    :param dynamic_properties: the ``-Dkey='value'`` text after ``--configDir``.
    """
    logging = ""
    if has_logback or has_log4j:
        logging = f"-Dlog.file={log_directory}/taskmanager.log"
        if has_logback:
            logging += f" -Dlogback.configurationFile=file:{config_directory}/logback.xml"
        if has_log4j:
            logging += (f" -Dlog4j.configuration=file:{config_directory}/log4j.properties"
                        f" -Dlog4j.configurationFile=file:{config_directory}/log4j.properties")
    args = f"{spec.dynamic_properties()} --configDir {config_directory}"
    if dynamic_properties:
        args += f" {dynamic_properties}"
    values = {
        "java": "$JAVA_HOME/bin/java",
        "jvmmem": spec.jvm_parameters(),
        "jvmopts": jvm_options(config, "taskmanager"),
        "logging": logging,
        "class": TASK_EXECUTOR_RUNNER,
        "redirects": f"1> {log_directory}/taskmanager.out 2> {log_directory}/taskmanager.err",
        "args": args,
    }
    return start_command(config.get(o.YARN_CONTAINER_START_COMMAND_TEMPLATE), values)


def task_manager_local_resources(environment):
    """
    :return: link name → ``LocalResource``: flink-dist (``_FLINK_DIST_JAR``) and the shipped
        files (``_CLIENT_SHIP_FILES``), as the client registered them for the JobManager.
    :raise ValueError: if either variable is missing.
    """
    dist = YarnLocalResourceDescriptor.parse(_required(environment, ENV_FLINK_DIST_JAR))
    shipped = parse_descriptors(_required(environment, ENV_CLIENT_SHIP_FILES))
    resources = {dist.key: dist.to_local_resource()}
    for descriptor in shipped:
        resources[descriptor.key] = descriptor.to_local_resource()
    return resources


def task_manager_environment(config, environment, host, user):
    """
    :return: the TaskManager container's environment (see the module docstring).
    :raise ValueError: if ``_FLINK_CLASSPATH`` is missing from ``environment``.
    """
    class_path = _required(environment, ENV_FLINK_CLASSPATH)
    env = prefixed_environment(config, TASK_MANAGER_ENV_PREFIX)
    env[ENV_FLINK_CLASSPATH] = class_path
    configured = config.get_raw(_YARN_APPLICATION_CLASSPATH_KEY)
    env["CLASSPATH"] = container_classpath(class_path, configured.split(",") if configured else None)
    env[ENV_HADOOP_USER_NAME] = user
    env[ENV_FLINK_NODE_ID] = host
    return env


def client_configuration(working_dir, file_name):
    """
    :return: the configuration file the client uploaded, as read from ``working_dir`` (an empty
        configuration if there is none).
    """
    path = os.path.join(str(working_dir), file_name)
    try:
        with open(path, encoding="utf-8") as stream:
            return Configuration.from_flink_conf(stream.read(), source=path)
    except OSError:
        return Configuration()


def _required(environment, name):
    value = environment.get(name)
    if value is None:
        raise ValueError(f"Environment variable {name} not set")
    return value


def _single_quoted(value):
    return "'" + str(value).replace("'", "'\\''") + "'"
