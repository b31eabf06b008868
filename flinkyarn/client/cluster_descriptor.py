"""
:class:`YarnClusterDescriptor`: deploys Flink clusters on YARN as Flink's
``YarnClusterDescriptor.deployInternal`` does, step by step and in Flink's words, in virtual time.

1. ``isReadyForDeployment``: the dist jar exists; ``yarn.appmaster.vcores`` and the TaskManagers'
   vcores (``yarn.containers.vcores``, else the slots) do not exceed the largest RUNNING node's.
2. ``checkYarnQueues``: a WARN when ``yarn.application.queue`` names no queue YARN has (YARN itself
   fails the application later: ``... to unknown queue: X``).
3. ``createApplication``; the free memory of the RUNNING nodes; the minimum allocation
   (``yarn.scheduler.minimum-allocation-mb``, from the yarn-site or ``flink.yarn.*``) must be
   positive.
4. ``validateClusterResources``: the JobManager is raised to the minimum allocation; JobManager or
   TaskManager memory above YARN's maximum allocation is an error (the application is killed);
   memory above the largest free node only a WARN.
5. ``internal.cluster.execution-mode`` = DETACHED or NORMAL.
6. ``startAppMaster``: staging (:mod:`~flinkyarn.client.staging`), the AM launch context
   (:mod:`~flinkyarn.client.launch_context`), the submission context
   (:mod:`~flinkyarn.client.submission_context`), submit, and wait for RUNNING
   (:mod:`~flinkyarn.client.deployment_wait`).
7. ``Found Web Interface host:port of application '...'.``: the client's configuration gets the
   cluster's REST address, and a :class:`~flinkyarn.client.cluster_client.ClusterClient` is made.

A failure after the application was created runs Flink's deployment failure hook at once (in
Flink it runs when the client's JVM exits): the application is killed and its staging directory
deleted.  Every failure reaches the caller as a
:class:`~flinkyarn.client.errors.ClusterDeploymentException` whose ``__cause__`` is the reason.
"""

import os

from twisted.internet.defer import CancelledError, fail, inlineCallbacks, succeed

from flinkyarn.client.client_log import ClientLog
from flinkyarn.client.cluster_client import ClusterClient
from flinkyarn.client.deployment_wait import wait_for_deployment
from flinkyarn.client.errors import (
    ClusterDeploymentException,
    ClusterRetrieveException,
    YarnDeploymentException,
)
from flinkyarn.client.file_uploader import ApplicationFileUploader, application_dir_path, hdfs_uri
from flinkyarn.client.flink_home import FlinkHome
from flinkyarn.client.launch_context import application_master_container
from flinkyarn.client.staging import LOG_CONFIG_FILE_OPTION, stage_application
from flinkyarn.client.submission_context import application_submission_context
from flinkyarn.config import IllegalConfigurationException, JobManagerProcessSpec
from flinkyarn.config import option_types as types
from flinkyarn.config import options as o
from flinkyarn.config.options import Option
from flinkyarn.graph.errors import IllegalArgumentException, IllegalStateException
from flinkyarn.rest.transport import InProcessRestTransport
from flinkyarn.runtime.errors import FlinkException
from flinkyarn.yarn import constants as c
from yarnemu.config import YarnConfiguration
from yarnemu.dfs import path_from_uri
from yarnemu.errors import ApplicationNotFoundException, RemoteError
from yarnemu.records.resource import Resource
from yarnemu.records.states import FinalApplicationStatus, NodeState

__all__ = ["YarnClusterDescriptor", "APPLICATION_TARGET", "YARN_TARGETS",
           "detached_cluster_information"]

APPLICATION_TARGET = "yarn-application"
YARN_TARGETS = ("yarn-per-job", "yarn-session", APPLICATION_TARGET)

_MIN_ALLOCATION_MB = "yarn.scheduler.minimum-allocation-mb"
_FLINK_YARN_PREFIX = "flink."
_BIND_HOSTS = (Option("jobmanager.bind-host", types.STRING),
               Option("taskmanager.bind-host", types.STRING))
_TASK_MANAGER_HOST = "taskmanager.host"
_NOTE_MAX = ("Please check the 'yarn.scheduler.maximum-allocation-mb' and the "
             "'yarn.nodemanager.resource.memory-mb' configuration values\n")
_NOTE_FREE = ("\nThe Flink YARN client will try to allocate the YARN session, but maybe not all "
              "TaskManagers are connecting from the beginning because the resources are currently "
              "not available in the cluster. The allocation might take more time than usual "
              "because the Flink YARN client needs to wait until the resources become available.")


class YarnClusterDescriptor:
    """
    :param config: the client's effective :class:`~flinkyarn.config.Configuration` (the
        distribution's ``flink-conf.yaml`` with the command line's ``-D`` settings).
    :param yarn_client: an ``IYarnClient`` acting as ``user``.
    :param filesystem: an :class:`~yarnemu.interfaces.IFileSystemClient` of the cluster's file
        system acting as ``user`` (staging uploads to an in-process one take simulated time, see
        :mod:`~flinkyarn.client.file_uploader`).
    :param clock: an ``IReactorTime``.
    :param events: the cluster's :class:`~yarnemu.events.EventLog` (client log lines go there).
    :param str user: the submitting user.
    :param flink_home: a :class:`~flinkyarn.client.flink_home.FlinkHome`, or a directory to
        generate one in (sized by ``flinkyarn.simulation.dist.size``).
    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    :param yarn_config: the client's yarn-site (:class:`~yarnemu.config.YarnConfiguration`),
        read for the minimum allocation, ``dfs.replication`` and ``yarn.application.classpath``;
        ``flink.yarn.*`` keys of ``config`` override it, as in Flink.
    :param rest_transports: ``(application_id, host, port)`` → the
        :class:`~flinkyarn.rest.transport.IRestTransport` its cluster clients reach a JobManager's
        REST API with (default: :class:`~flinkyarn.rest.transport.InProcessRestTransport` over
        ``network``; e.g. a :class:`~flinkyarn.rest.http_transport.RestOverHttp` through the RM
        web proxy).

    :ivar int uploaded_bytes: bytes uploaded by all deployments of this descriptor.
    :ivar list deployments: the :class:`~flinkyarn.client.staging.StagedApplication` of each
        deployment that got through staging, in order.
    :ivar rest_transports: the ``rest_transports`` in use (the next cluster client gets its
        transport from it).
    """

    def __init__(self, config, yarn_client, filesystem, clock, events, user, flink_home, network,
                 yarn_config=None, rest_transports=None):
        self.log = ClientLog(events)
        if not isinstance(flink_home, FlinkHome):
            flink_home = FlinkHome.for_configuration(flink_home, config)
        self.flink_home = flink_home
        self.config = self._with_log_config_file(config)
        self.yarn_client = yarn_client
        self.filesystem = filesystem
        self.clock = clock
        self.user = user
        self.network = network
        self.rest_transports = (rest_transports if rest_transports is not None
                                else self._in_process_transport)
        self.yarn_config = yarn_config if yarn_config is not None else YarnConfiguration()
        self.uploaded_bytes = 0
        self.deployments = []
        self._home_directory_path = None
        if self.config.get(o.YARN_FLINK_DIST_JAR) is None:
            self.log.info("No path for the flink jar passed. Using the location of class "
                          "org.apache.flink.yarn.YarnClusterDescriptor to locate the jar")

    # Deploying

    def deploy_session_cluster(self, spec):
        """
        :param spec: a :class:`~flinkyarn.client.cluster_specification.ClusterSpecification`.
        :return: a Deferred firing with the :class:`ClusterClient` of a RUNNING session cluster.
        """
        return self._deploy("Couldn't deploy Yarn session cluster", spec, self.config,
                            c.DEFAULT_SESSION_NAME, c.SESSION_ENTRYPOINT)

    def deploy_job_cluster(self, spec, job_graph, detached):
        """
        Deploy a per-job cluster (deprecated since Flink 1.15) that runs ``job_graph``, shipped
        as ``job.graph``.

        :param bool detached: whether the cluster ends with the job (DETACHED) or waits until the
            client fetched the result (NORMAL).
        :return: a Deferred firing with the :class:`ClusterClient`.
        """
        self.log.warn("Job Clusters are deprecated since Flink 1.15. Please use an Application "
                      "Cluster/Application Mode instead.")
        return self._deploy("Could not deploy Yarn job cluster.", spec, self.config,
                            c.DEFAULT_JOB_NAME, c.JOB_ENTRYPOINT, job_graph=job_graph,
                            detached=detached)

    def deploy_application_cluster(self, spec, application_config):
        """
        Deploy an application cluster whose JobManager runs the program of
        ``application_config``; requires ``execution.target: yarn-application``.

        :param application_config: an
            :class:`~flinkyarn.client.application_configuration.ApplicationConfiguration`.
        :return: a Deferred firing with the :class:`ClusterClient`.
        """
        target = self.config.get(o.EXECUTION_TARGET)
        if target not in YARN_TARGETS:
            return fail(IllegalArgumentException(
                f'Unknown Yarn deployment target "{target}". The available options are: '
                f"{', '.join(YARN_TARGETS)}"))
        if target != APPLICATION_TARGET:
            return fail(ClusterDeploymentException(
                "Couldn't deploy Yarn Application Cluster. Expected deployment.target="
                f'{APPLICATION_TARGET} but actual one was "{target}"'))
        message = "Couldn't deploy Yarn Application Cluster"
        try:
            program_file = application_config.program_file
            config = application_config.apply_to(self.config)
        except Exception as error:
            return fail(_wrapped(message, error))
        return self._deploy(message, spec, config, c.DEFAULT_APPLICATION_NAME,
                            c.APPLICATION_ENTRYPOINT, program_file=program_file)

    # Other operations on clusters

    @inlineCallbacks
    def retrieve(self, application_id):
        """
        Attach to a running cluster (``retrieve``).

        :return: a Deferred firing with its :class:`ClusterClient`.
        :raise ClusterRetrieveException: if the application has ended or is unknown.
        """
        try:
            report = yield self.yarn_client.get_application_report(application_id)
            if report.final_application_status is not FinalApplicationStatus.UNDEFINED:
                self.log.error(f"The application {application_id} doesn't run anymore. It has "
                               "previously completed with final status: "
                               f"{report.final_application_status}", application_id)
                raise RuntimeError(f"The Yarn application {application_id} doesn't run anymore.")
        except Exception as error:
            raise ClusterRetrieveException("Couldn't retrieve Yarn cluster") from error
        return self._cluster_client(report, self.config, None)

    @inlineCallbacks
    def kill_cluster(self, application_id):
        """
        Kill the application and delete its staging directory (``killCluster``).

        :return: a Deferred firing when done.
        :raise FlinkException: ``Could not kill the Yarn Flink cluster with id <id>.``
        """
        try:
            yield self.yarn_client.kill_application(application_id)
            yield self._resolve_home_directory()
            yield self._delete_application_files(self.application_dir(application_id))
        except RemoteError as error:
            raise FlinkException(
                f"Could not kill the Yarn Flink cluster with id {application_id}.") from error

    # deployInternal

    def _deploy(self, message, spec, config, name, entrypoint, job_graph=None, detached=False,
                program_file=None):
        deployment = self._deploy_internal(spec, config, name, entrypoint, job_graph, detached,
                                           program_file)
        return deployment.addErrback(lambda failure: _raise_wrapped(message, failure))

    @inlineCallbacks
    def _deploy_internal(self, spec, config, name, entrypoint, job_graph, detached,
                         program_file):
        dist_jar = config.get(o.YARN_FLINK_DIST_JAR) or self.flink_home.dist_jar
        if not os.path.isfile(dist_jar):
            raise YarnDeploymentException("The Flink jar path is null")
        yield self._check_vcores(config, spec)
        yield self._check_yarn_queues(config)
        # Asked before the application exists, so that a file system out of reach leaves none.
        yield self._resolve_home_directory()

        response = yield self.yarn_client.create_application()
        application_id = response.application_id
        try:
            nodes = yield self.yarn_client.get_node_reports([NodeState.RUNNING])
        except RemoteError as error:
            yield self._fail_session(application_id)
            raise YarnDeploymentException(
                "Could not retrieve information about free cluster resources.") from error
        min_allocation_mb = self._yarn_int(config, _MIN_ALLOCATION_MB)
        if min_allocation_mb <= 0:
            raise YarnDeploymentException(
                f"The minimum allocation memory ({min_allocation_mb} MB) configured via "
                f"'{_MIN_ALLOCATION_MB}' should be greater than 0.")
        try:
            valid_spec = self._validate_cluster_resources(
                spec, min_allocation_mb, response.maximum_resource_capability,
                _container_limit(nodes), application_id)
        except YarnDeploymentException:
            yield self._fail_session(application_id)
            raise
        self.log.info(f"Cluster specification: {valid_spec}", application_id)
        config = config.set(o.CLUSTER_EXECUTION_MODE, "DETACHED" if detached else "NORMAL")

        report, staged, config = yield self._start_app_master(
            config, name, entrypoint, job_graph, application_id, valid_spec, program_file)
        if detached:
            self.log.info(detached_cluster_information(application_id), application_id)
        return self._cluster_client(report, config, staged)

    @inlineCallbacks
    def _check_vcores(self, config, spec):
        nodes = yield self.yarn_client.get_node_reports([NodeState.RUNNING])
        max_vcores = max((node.capability.vcores for node in nodes), default=0)
        am_vcores = config.get(o.YARN_APP_MASTER_VCORES)
        if am_vcores > max_vcores:
            raise IllegalConfigurationException(
                f"The number of requested virtual cores for application master {am_vcores} "
                f"exceeds the maximum number of virtual cores {max_vcores} available in the Yarn "
                "Cluster.")
        vcores = (config.get(o.YARN_CONTAINER_VCORES) if config.contains(o.YARN_CONTAINER_VCORES)
                  else spec.slots_per_task_manager)
        if vcores > max_vcores:
            raise IllegalConfigurationException(
                f"The number of requested virtual cores per node {vcores} exceeds the maximum "
                f"number of virtual cores {max_vcores} available in the Yarn Cluster. Please note "
                "that the number of virtual cores is set to the number of task slots by default "
                f"unless configured in the Flink config with '{o.YARN_CONTAINER_VCORES.key}.'")

    @inlineCallbacks
    def _check_yarn_queues(self, config):
        queue = config.get(o.YARN_APPLICATION_QUEUE)
        try:
            queues = yield self.yarn_client.get_all_queues()
        except RemoteError as error:
            self.log.warn(f"Error while getting queue information from YARN: {error.message}")
            return
        if not queues or queue is None:
            return
        names = [info.queue_name for info in queues]
        if queue not in names and f"root.{queue}" not in names:
            available = '"' + ", ".join(name.lower() for name in names) + '"'
            self.log.warn(f"The specified queue '{queue}' does not exist. Available queues: "
                          f"{available}")

    def _validate_cluster_resources(self, spec, min_allocation_mb, maximum, container_limit,
                                    application_id):
        jm_mb = spec.master_memory_mb
        tm_mb = spec.task_manager_memory_mb
        self._log_if_not_multiple("JobManager", jm_mb, min_allocation_mb, application_id)
        self._log_if_not_multiple("TaskManager", tm_mb, min_allocation_mb, application_id)
        jm_mb = max(jm_mb, min_allocation_mb)
        if jm_mb > maximum.memory:
            raise YarnDeploymentException(
                "The cluster does not have the requested resources for the JobManager available!\n"
                f"Maximum Memory: {maximum.memory}MB Requested: {jm_mb}MB. {_NOTE_MAX}")
        if tm_mb > maximum.memory:
            raise YarnDeploymentException(
                "The cluster does not have the requested resources for the TaskManagers "
                f"available!\nMaximum Memory: {maximum.memory} Requested: {tm_mb}MB. {_NOTE_MAX}")
        if tm_mb > container_limit:
            self.log.warn(f"The requested amount of memory for the TaskManagers ({tm_mb}MB) is "
                          f"more than the largest possible YARN container: {container_limit}"
                          f"{_NOTE_FREE}", application_id)
        if jm_mb > container_limit:
            self.log.warn(f"The requested amount of memory for the JobManager ({jm_mb}MB) is "
                          f"more than the largest possible YARN container: {container_limit}"
                          f"{_NOTE_FREE}", application_id)
        return type(spec)(jm_mb, tm_mb, spec.slots_per_task_manager)

    def _log_if_not_multiple(self, component, memory_mb, min_allocation_mb, application_id):
        normalized = -(-memory_mb // min_allocation_mb) * min_allocation_mb
        if normalized <= 0:
            normalized = min_allocation_mb
        if normalized != memory_mb:
            self.log.info(
                f"The configured {component} memory is {memory_mb} MB. YARN will allocate "
                f"{normalized} MB to make up an integer multiple of its minimum allocation memory "
                f"({min_allocation_mb} MB, configured via 'yarn.scheduler.minimum-allocation-mb'). "
                f"The extra {normalized - memory_mb} MB may not be used by Flink.", application_id)

    # startAppMaster

    @inlineCallbacks
    def _start_app_master(self, config, name, entrypoint, job_graph, application_id, spec,
                          program_file):
        staging_root = self._staging_root(config)
        application_dir = application_dir_path(staging_root, application_id)
        try:
            provided = self._provided_lib_dirs(config)
            uploader = yield ApplicationFileUploader(
                self.filesystem, self.clock, staging_root, application_id,
                self._file_replication(config), config.get(o.SIM_UPLOAD_BANDWIDTH), provided,
                self.log).start()
            if not config.contains(o.HIGH_AVAILABILITY_CLUSTER_ID):
                config = config.set(o.HIGH_AVAILABILITY_CLUSTER_ID, str(application_id))
            if job_graph is not None:
                config = config.set(o.JOB_GRAPH_FILE_PATH, c.JOB_GRAPH_FILE_NAME)
            config = self._without_localhost_bind_hosts(config, application_id)
            staged = yield stage_application(uploader, self.flink_home, config, job_graph,
                                             program_file)
            self.uploaded_bytes += staged.bytes_uploaded
            self.deployments.append(staged)

            launch_context = application_master_container(
                config, entrypoint, JobManagerProcessSpec.from_config(config), staged,
                application_id, self.user, self._yarn_classpath(config))
            context = application_submission_context(
                config, application_id, launch_context,
                Resource(spec.master_memory_mb, config.get(o.YARN_APP_MASTER_VCORES)), name)
            self.log.info(f"Submitting application master {application_id}", application_id)
            yield self.yarn_client.submit_application(context)
            self.log.info("Waiting for the cluster to be allocated", application_id)
            report = yield wait_for_deployment(self.yarn_client, self.clock, self.log,
                                               application_id)
        except Exception:
            yield self._deployment_failure_hook(application_id, application_dir)
            raise
        return report, staged, config

    @inlineCallbacks
    def _deployment_failure_hook(self, application_id, application_dir):
        self.log.info("Cancelling deployment from Deployment Failure Hook", application_id)
        yield self._fail_session(application_id)
        self.log.info(f"Deleting files in {hdfs_uri(application_dir)}.", application_id)
        try:
            yield self.filesystem.delete(application_dir, recursive=True)
        except RemoteError:
            self.log.error("Failed to delete Flink Jar and configuration files in HDFS",
                           application_id)

    @inlineCallbacks
    def _fail_session(self, application_id):
        """Kill the application, best effort (it may not have been submitted)."""
        self.log.info("Killing YARN application", application_id)
        try:
            yield self.yarn_client.kill_application(application_id)
        except ApplicationNotFoundException:
            pass

    # Reporting the cluster

    def _cluster_client(self, report, config, staged):
        application_id = report.application_id
        host, port = report.host, report.rpc_port
        self.log.info(f"Found Web Interface {host}:{port} of application '{application_id}'.",
                      application_id)
        config = config.with_values({
            o.JM_RPC_ADDRESS.key: host,
            o.JM_RPC_PORT.key: port,
            o.REST_ADDRESS.key: host,
            o.REST_PORT.key: port,
            o.YARN_APPLICATION_ID.key: str(application_id),
        })
        if not config.contains(o.HIGH_AVAILABILITY_CLUSTER_ID):
            config = config.set(o.HIGH_AVAILABILITY_CLUSTER_ID, str(application_id))
        transport = self.rest_transports(application_id, host, port)
        return ClusterClient(application_id, host, port, transport, self.clock, self.log,
                             descriptor=self, configuration=config, staged=staged)

    def _in_process_transport(self, application_id, host, port):
        return InProcessRestTransport(self.network, host, port)

    # Settings

    def _with_log_config_file(self, config):
        """``YarnLogConfigUtil.setLogConfigFileInConfig``: find the log configuration in conf/."""
        if config.get_str(LOG_CONFIG_FILE_OPTION, None) is not None:
            return config
        conf_dir = self.flink_home.conf_dir
        log4j = os.path.join(conf_dir, "log4j.properties")
        logback = os.path.join(conf_dir, "logback.xml")
        found = log4j if os.path.isfile(log4j) else None
        if os.path.isfile(logback):
            if found is not None:
                shown = self.flink_home.shown_path("conf")
                self.log.warn(f"The configuration directory ('{shown}') already contains a "
                              "LOG4J config file.If you want to use logback, then please delete "
                              "or rename the log configuration file.")
            else:
                found = logback
        return config if found is None else config.set(LOG_CONFIG_FILE_OPTION, found)

    def application_dir(self, application_id):
        """
        :return: the HDFS path ``<staging root>/.flink/<applicationId>`` this client stages
            ``application_id``'s files in.
        :raise IllegalStateException: if the staging root is the user's home directory and this
            descriptor has not asked the file system for it yet (each deployment and kill does,
            first).
        """
        return application_dir_path(self._staging_root(self.config), application_id)

    def _resolve_home_directory(self):
        """:return: a Deferred firing once the user's home directory is known (asked once)."""
        if self._home_directory_path is not None:
            return succeed(self._home_directory_path)

        def known(path):
            self._home_directory_path = path
            return path

        return self.filesystem.home_directory().addCallback(known)

    def _home_directory(self):
        if self._home_directory_path is None:
            raise IllegalStateException(
                f"The home directory of {self.user} on the file system is not known yet")
        return self._home_directory_path

    def _staging_root(self, config):
        configured = config.get(o.YARN_STAGING_DIRECTORY)
        if configured is None:
            return self._home_directory()
        return path_from_uri(configured)

    def _provided_lib_dirs(self, config):
        """The HDFS paths of ``yarn.provided.lib.dirs``; scheme-less paths are HDFS paths."""
        paths = []
        for entry in config.get(o.YARN_PROVIDED_LIB_DIRS) or ():
            scheme, separator, rest = entry.partition(":")
            if separator and scheme.lower() == "file":
                local = "file:" + ("/" + rest.lstrip("/") if rest.startswith("/") else rest)
                raise IllegalArgumentException(
                    f'The "{o.YARN_PROVIDED_LIB_DIRS.key}" should only contain dirs accessible '
                    f'from all worker nodes, while the "{local}" is local.')
            if not separator and not entry.startswith("/"):
                entry = f"{self._home_directory()}/{entry}"
            paths.append(path_from_uri(entry))
        return paths

    def _file_replication(self, config):
        replication = config.get(o.YARN_FILE_REPLICATION)
        if replication > 0:
            return replication
        return int(self.yarn_config.raw("dfs.replication", self.filesystem.default_replication))

    def _yarn_int(self, config, key):
        overridden = config.get_raw(_FLINK_YARN_PREFIX + key)
        if overridden is not None:
            return int(overridden)
        return self.yarn_config.get_int(key)

    def _yarn_classpath(self, config):
        value = config.get_raw(_FLINK_YARN_PREFIX + "yarn.application.classpath")
        if value is None:
            value = self.yarn_config.raw("yarn.application.classpath")
        if value is None:
            return None
        return [entry for entry in str(value).split(",") if entry.strip()]

    def _without_localhost_bind_hosts(self, config, application_id):
        for option in _BIND_HOSTS:
            if config.get_str(option.key, None) == "localhost":
                self.log.info(f"Removing 'localhost' {option.java_string()} setting from "
                              "effective configuration; using '0.0.0.0' instead.", application_id)
                config = config.without(option.key)
        return config.without(_TASK_MANAGER_HOST)

    @inlineCallbacks
    def _delete_application_files(self, application_dir):
        """``Utils.deleteApplicationFiles``: errors are only logged."""
        uri = hdfs_uri(application_dir)
        try:
            deleted = yield self.filesystem.delete(application_dir, recursive=True)
        except RemoteError:
            self.log.error(f"Could not properly delete yarn application files directory {uri}.")
            return
        if not deleted:
            self.log.error(f"Deleting yarn application files under {uri} was unsuccessful.")


def _container_limit(nodes):
    """The largest free memory of a node (``getCurrentFreeClusterResources``)."""
    return max((node.capability.memory - (node.used.memory if node.used else 0)
                for node in nodes), default=0)


def detached_cluster_information(application_id):
    """``YarnClusterDescriptor.logDetachedClusterInformation``: how to stop a detached session."""
    return ("The Flink YARN session cluster has been started in detached mode. In order to stop "
            "Flink gracefully, use the following command:\n"
            f'$ echo "stop" | ./bin/yarn-session.sh -id {application_id}\n'
            "If this should not be possible, then you can also kill Flink via YARN's web "
            f"interface or via:\n$ yarn application -kill {application_id}\n"
            "Note that killing Flink might not clean up all job artifacts and temporary files.")


def _wrapped(message, error):
    wrapped = ClusterDeploymentException(message)
    wrapped.__cause__ = error
    return wrapped


def _raise_wrapped(message, failure):
    if failure.check(CancelledError):
        return failure
    raise _wrapped(message, failure.value)
