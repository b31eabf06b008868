"""
What a deployment ships to YARN and in which order, as ``YarnClusterDescriptor.startAppMaster``
decides it, and the classpath it assembles (``_FLINK_CLASSPATH``).

The application directory ``<staging root>/.flink/<applicationId>/`` (permission ``rwx------``)
ends up holding, in upload order:

1. per-job only: the job's local user artifacts (``<name>/<file>``), whose remote paths are
   written back into the JobGraph;
2. ``yarn.ship-files`` and the log configuration (``log4j.properties``), then ``lib/`` — unless
   ``yarn.provided.lib.dirs`` is set: then the files under those directories are registered
   PUBLIC in place instead of ``lib/`` and ``plugins/``, and nothing of them is uploaded;
3. ``plugins/`` (shipped, never on the classpath);
4. ``yarn.ship-archives`` (unpacked on localization);
5. the user's files: per-job the JobGraph's user jars (in ``usrlib/`` when
   ``yarn.classpath.include-user-jar`` is DISABLED, else at the top); in application mode the
   program file ``usrlib/<name>.py`` (a built-in program ships nothing); then ``FLINK_HOME/usrlib``
   if it exists;
6. the dist jar ``flink-dist-1.18.1.jar`` (or the provided one);
7. per-job only: ``job.graph``;
8. the effective configuration as ``flink-conf.yaml``.

The configuration file and the JobGraph are written to a local temporary directory first and
uploaded from there, as Flink does (Flink's remote names are the temporary files' names; here
they are ``flink-conf.yaml`` and ``job.graph``).
"""

import os
import shutil
import tempfile

from attrs import evolve, field, frozen
from twisted.internet.defer import inlineCallbacks

from flinkyarn.config import options as o
from flinkyarn.config.file_format import LEGACY_CONFIG_FILE_NAME
from flinkyarn.client.file_uploader import hdfs_uri, is_remote_path
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.yarn.constants import JOB_GRAPH_FILE_NAME
from flinkyarn.yarn.container_command import CLASSPATH_SEPARATOR
from yarnemu.records.immutable import frozen_mapping, frozen_tuple
from yarnemu.records.states import LocalResourceType

__all__ = [
    "StagedApplication",
    "stage_application",
    "USRLIB_DIR",
    "LOG_CONFIG_FILE_OPTION",
]

USRLIB_DIR = "usrlib"
"""Where user programs and (with DISABLED inclusion) user jars go in the working directory."""

LOG_CONFIG_FILE_OPTION = "$internal.yarn.log-config-file"
"""The client's log configuration file (``APPLICATION_LOG_CONFIG_FILE``)."""

"""``File.pathSeparator`` on the client (a Linux host)."""

_ARCHIVE_SUFFIXES = (".tar.gz", ".tar", ".tgz", ".dst", ".jar", ".zip")


@frozen
class StagedApplication:
    """
    The outcome of staging one deployment.

    :ivar str staging_root: the staging root (an HDFS path): ``yarn.staging-directory`` or the
        user's home directory.
    :ivar str application_dir: ``<staging root>/.flink/<applicationId>`` (an HDFS path).
    :ivar local_resources: resource key → ``LocalResource``, for the AM container.
    :ivar tuple ship_descriptors: what ``_CLIENT_SHIP_FILES`` lists.
    :ivar dist_descriptor: the dist jar's :class:`YarnLocalResourceDescriptor`.
    :ivar str classpath: ``_FLINK_CLASSPATH``.
    :ivar job_graph: per-job, the JobGraph as staged (user artifacts pointing at their uploaded
        copies); otherwise ``None``.
    :ivar int bytes_uploaded: bytes copied to the file system.
    :ivar int upload_ms: milliseconds of the clock the uploads took (simulated for an in-process
        file system).
    """

    staging_root: str
    application_dir: str
    local_resources: object = field(converter=frozen_mapping)
    ship_descriptors: tuple = field(converter=frozen_tuple)
    dist_descriptor: object
    classpath: str
    job_graph: object
    bytes_uploaded: int
    upload_ms: int

    @property
    def staging_root_uri(self):
        """``_CLIENT_HOME_DIR``: the staging root's ``hdfs:///…`` URI."""
        return hdfs_uri(self.staging_root)

    @property
    def application_dir_uri(self):
        """``_FLINK_YARN_FILES``: the application directory's ``hdfs:///…`` URI."""
        return hdfs_uri(self.application_dir)


@inlineCallbacks
def stage_application(uploader, flink_home, config, job_graph=None, program_file=None):
    """
    Upload and register everything a deployment ships (see the module docstring).

    :param uploader: the deployment's
        :class:`~flinkyarn.client.file_uploader.ApplicationFileUploader`.
    :param flink_home: the :class:`~flinkyarn.client.flink_home.FlinkHome`.
    :param config: the effective configuration, written as ``flink-conf.yaml`` unchanged.
    :param job_graph: per-job, the JobGraph to ship as ``job.graph``.
    :param program_file: application mode, the local program file to ship in ``usrlib/``.
    :return: a Deferred firing with a :class:`StagedApplication`.
    :raise IllegalArgumentException: for a ``usrlib`` directory among the ship files, or a
        ship archive that is not an archive.
    """
    inclusion = config.get(o.YARN_CLASSPATH_INCLUDE_USER_JAR)
    if job_graph is not None:
        job_graph = yield _upload_user_artifacts(uploader, job_graph)

    provided = bool(config.get(o.YARN_PROVIDED_LIB_DIRS))
    ship_files = _ship_files(config)
    if not provided:
        ship_files.append(flink_home.lib_dir)
    system_classpath = uploader.register_provided()
    system_classpath += yield uploader.register_multiple(_unique(ship_files), "")
    if not provided:
        yield uploader.register_multiple([flink_home.plugins_dir], "")
    archives = _ship_archives(config)
    if archives:
        yield uploader.register_multiple(archives, "", LocalResourceType.ARCHIVE)

    if program_file is not None:
        user_classpath = yield uploader.register_multiple([program_file], USRLIB_DIR)
    else:
        user_jars = list(job_graph.user_jars) if job_graph is not None else []
        user_classpath = yield uploader.register_multiple(
            user_jars, USRLIB_DIR if inclusion == "DISABLED" else "")
    if os.path.isdir(flink_home.usrlib_dir):
        user_classpath += yield uploader.register_multiple([flink_home.usrlib_dir], "")
    if inclusion == "ORDER":
        system_classpath += user_classpath
    system_classpath.sort()
    user_classpath.sort()

    entries = list(user_classpath) if inclusion == "FIRST" else []
    entries += system_classpath
    dist_jar = config.get(o.YARN_FLINK_DIST_JAR) or flink_home.dist_jar
    dist = yield uploader.upload_flink_dist(dist_jar)
    entries.append(dist.key)

    scratch = tempfile.mkdtemp(prefix="flinkyarn-client-")
    try:
        if job_graph is not None:
            graph_file = os.path.join(scratch, JOB_GRAPH_FILE_NAME)
            job_graph.write(graph_file)
            yield uploader.register_single(JOB_GRAPH_FILE_NAME, graph_file, "")
            entries.append(JOB_GRAPH_FILE_NAME)
        config_file = os.path.join(scratch, LEGACY_CONFIG_FILE_NAME)
        with open(config_file, "w", encoding="utf-8") as stream:
            stream.write(config.to_flink_conf())
        yield uploader.register_single(LEGACY_CONFIG_FILE_NAME, config_file, "")
        entries.append(LEGACY_CONFIG_FILE_NAME)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if inclusion == "LAST":
        entries += user_classpath

    return StagedApplication(
        staging_root=uploader.staging_root,
        application_dir=uploader.application_dir,
        local_resources=uploader.local_resources,
        ship_descriptors=uploader.ship_descriptors,
        dist_descriptor=dist,
        classpath="".join(entry + CLASSPATH_SEPARATOR for entry in entries),
        job_graph=job_graph,
        bytes_uploaded=uploader.bytes_uploaded,
        upload_ms=uploader.upload_ms,
    )


@inlineCallbacks
def _upload_user_artifacts(uploader, job_graph):
    artifacts = dict(job_graph.user_artifacts)
    for name in sorted(artifacts):
        path = artifacts[name]
        if not is_remote_path(path):
            artifacts[name] = yield uploader.upload_local_file(path, name)
    return evolve(job_graph, user_artifacts=artifacts)


def _ship_files(config):
    files = list(config.get(o.YARN_SHIP_FILES) or ())
    for path in files:
        if not is_remote_path(path) and os.path.isdir(path) \
                and os.path.basename(os.path.normpath(path)).lower() == USRLIB_DIR:
            raise IllegalArgumentException(
                f"User-shipped directories configured via : {o.YARN_SHIP_FILES.key} should not "
                f"include {USRLIB_DIR}.")
    log_config = config.get_str(LOG_CONFIG_FILE_OPTION, None)
    if log_config:
        files.append(log_config)
    return files


def _ship_archives(config):
    archives = list(config.get(o.YARN_SHIP_ARCHIVES) or ())
    for path in archives:
        is_file = is_remote_path(path) or os.path.isfile(path)
        if not is_file or not os.path.basename(path).lower().endswith(_ARCHIVE_SUFFIXES):
            raise IllegalArgumentException("Directories or non-archive files are included.")
    return archives


def _unique(paths):
    return list(dict.fromkeys(os.path.abspath(p) if not is_remote_path(p) else p for p in paths))

