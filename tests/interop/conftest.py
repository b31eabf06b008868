"""
The interop suite's wiring (run by ``scripts/interop``): the interop cache and the JDK, the
descriptor set named to the service by ``$YARNEMU_HADOOP_DESCRIPTORS``, ``twistd -n yarnemu`` as
a process serving Hadoop RPC and running containers as real processes, and the real clients
pointed at it.

- This directory is collected only when it is named (``pytest tests/interop``): the whole-tree run
  of ``scripts/test`` leaves it out, since it needs the 800 MB cache and a JDK.
- A missing cache or JDK FAILS every test that needs it, with what to run; nothing is skipped.
- Figures the tests measure (wall times, memory) are printed at the end of the run, ``-s`` or not.
"""

import getpass
import glob
import os
import re
import subprocess
import threading
import time
import zipfile

import pytest
import requests

from yarnemu.interop.artifacts import FLINK_VERSION
from yarnemu.interop.cache import InteropCache
from yarnemu.interop.classpaths import application_classpath
from yarnemu.interop.clients import APPLICATION_CLI, FlinkClient, HadoopClient
from yarnemu.interop.descriptors import DescriptorSetError, read_descriptor_set
from yarnemu.interop.flink_conf import write_flink_conf
from yarnemu.interop.hadoop_conf import rpc_address, write_hadoop_conf
from yarnemu.interop.jdk import JdkNotFound, find_jdk
from yarnemu.interop.service_options import interop_service_options
from yarnemu.service.endpoints_file import read_endpoints
from yarnemu.testing.service_process import ServiceProcess

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA_SOURCES = os.path.join(HERE, "java")

DESCRIPTORS_ENV = "YARNEMU_HADOOP_DESCRIPTORS"


_MEASUREMENTS = pytest.StashKey()


def pytest_ignore_collect(collection_path, config):
    """Leave this directory out unless a command-line argument names it (or something in it)."""
    if not collection_path.is_relative_to(HERE) or collection_path == HERE:
        return None
    for argument in config.args:
        path = os.path.abspath(argument.split("::", 1)[0])
        if path == HERE or path.startswith(HERE + os.sep):
            return None
    return True


def pytest_configure(config):
    config.stash[_MEASUREMENTS] = []


def pytest_terminal_summary(terminalreporter, config):
    measured = config.stash.get(_MEASUREMENTS, [])
    if measured:
        terminalreporter.section("interop measurements")
        for line in measured:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def measurements(pytestconfig):
    """:return: ``report(line)``: print a measured figure now and in the run's summary."""
    def report(line):
        print(line)
        pytestconfig.stash[_MEASUREMENTS].append(line)
    return report


# The cache, the JDK, the descriptors


@pytest.fixture(scope="session")
def interop_cache():
    """The complete interop cache; FAILS (does not skip) when the set-up has not been run."""
    cache = InteropCache.default()
    missing = cache.missing()
    if missing:
        pytest.fail(f"The interop cache {cache.root} is not set up ({len(missing)} missing, e.g. "
                    f"{missing[0]}): run scripts/interop, or python -m yarnemu.interop.setup",
                    pytrace=False)
    return cache


@pytest.fixture(scope="session")
def jdk():
    """The machine's JDK; FAILS when there is none."""
    try:
        return find_jdk()
    except JdkNotFound as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def hadoop_descriptors(interop_cache):
    """The checked descriptor set's path, named by ``$YARNEMU_HADOOP_DESCRIPTORS`` meanwhile."""
    try:
        read_descriptor_set(interop_cache.descriptors)
    except DescriptorSetError as error:
        pytest.fail(f"{error}: run python -m yarnemu.interop.setup", pytrace=False)
    earlier = os.environ.get(DESCRIPTORS_ENV)
    os.environ[DESCRIPTORS_ENV] = interop_cache.descriptors
    yield interop_cache.descriptors
    if earlier is None:
        os.environ.pop(DESCRIPTORS_ENV, None)
    else:
        os.environ[DESCRIPTORS_ENV] = earlier


# The service


class InteropService:
    """
    A running ``twistd -n yarnemu`` with Hadoop RPC and process containers.

    :ivar process: the :class:`~yarnemu.testing.service_process.ServiceProcess`.
    :ivar dict urls: its endpoints (``rm``, ``webhdfs``, ``rpc``, …).
    :ivar str rpc: the ResourceManager's RPC ``host:port``.
    :ivar str directory: its directory (data, log, endpoints file).
    """

    def __init__(self, process, directory):
        self.process = process
        self.directory = directory
        self.urls = read_endpoints(process.endpoints_file)
        self.rpc = rpc_address(self.urls)

    @property
    def pid(self):
        return self.process.process.pid

    @property
    def rm(self):
        return self.process.rm

    @property
    def webhdfs(self):
        return self.process.webhdfs

    @property
    def data_dir(self):
        return os.path.join(self.directory, "data")

    def stop(self):
        return self.process.stop()


def start_service(directory, cache, jdk, *options):
    """
    :return: an :class:`InteropService` started in ``directory`` with the interop options
        (:func:`~yarnemu.interop.service_options.interop_service_options`: Hadoop RPC on a free
        loopback port, process containers running ``jdk``, …) and ``options``.
    """
    interop = interop_service_options(cache, "tcp:0:interface=127.0.0.1", java_home=jdk.home)
    process = ServiceProcess.start(directory, *interop, *options, timeout=60)
    try:
        return InteropService(process, str(directory))
    except BaseException:
        process.stop()
        raise


@pytest.fixture(scope="session")
def service_factory(hadoop_descriptors, interop_cache, jdk, tmp_path_factory):
    """:return: ``start(name, *options)``: a new service, stopped at the end of the session."""
    started = []

    def start(name, *options):
        service = start_service(tmp_path_factory.mktemp(name), interop_cache, jdk, *options)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


@pytest.fixture(scope="session")
def service(service_factory):
    """
    The service the Hadoop-client tests share: two NodeManagers, and AMs may take half the
    cluster (the CapacityScheduler's 0.1 would let one 1 GB AM run at a time).
    """
    return service_factory("service", "--nodes", "2",
                           "-D", "yarn.scheduler.capacity.maximum-am-resource-percent=0.5")


# The Hadoop clients


@pytest.fixture(scope="session")
def hadoop_conf(service, tmp_path_factory):
    """A Hadoop client configuration directory for :func:`service`."""
    return write_hadoop_conf(str(tmp_path_factory.mktemp("hadoop-conf")), service.rpc)


@pytest.fixture(scope="session")
def hadoop(jdk, interop_cache, hadoop_conf):
    """The :class:`~yarnemu.interop.clients.HadoopClient` of :func:`service`."""
    return HadoopClient(jdk, interop_cache, hadoop_conf)


def run(argv, env=None, timeout=120, cwd=None):
    """
    Run ``argv`` to its end.

    :return: the ``CompletedProcess`` (text stdout and stderr).
    :raise AssertionError: with what it printed, if it takes longer than ``timeout`` s.
    """
    try:
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=cwd)
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"{argv[0]} … did not finish in {timeout} s:\n{error.stdout}\n"
                             f"{error.stderr}") from None


@pytest.fixture(scope="session")
def yarn(hadoop):
    """:return: ``yarn(*arguments)``: the real ``yarn application …`` (ApplicationCLI), run."""
    def yarn_command(*arguments, cli=APPLICATION_CLI):
        return run(hadoop.yarn(cli, *arguments), env=hadoop.environment())
    return yarn_command


def wait_for(predicate, timeout=60, interval=0.2, what=None):
    """:return: ``predicate()``'s first true value; :raise AssertionError: after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what or predicate}")
        time.sleep(interval)


# Streaming a client's output


class Transcript:
    """
    What a command printed (stdout and stderr merged), each line with the seconds since it started.

    :ivar list lines: ``(seconds, line)`` pairs.
    :ivar int returncode: its exit status.
    """

    def __init__(self, lines, returncode):
        self.lines = lines
        self.returncode = returncode

    @property
    def text(self):
        return "".join(line for _, line in self.lines)

    def first(self, pattern):
        """:return: ``(seconds, match)`` of the first line matching ``pattern``, or ``None``."""
        for seconds, line in self.lines:
            match = re.search(pattern, line)
            if match:
                return seconds, match
        return None


def run_streaming(argv, env, timeout=240):
    """
    Run ``argv``, timing each line it prints.

    :return: its :class:`Transcript`.
    :raise AssertionError: with what it printed, if it runs longer than ``timeout`` s.
    """
    started = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace")
    lines = []

    def read():
        for line in process.stdout:
            lines.append((time.monotonic() - started, line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        reader.join(5)
        text = "".join(line for _, line in lines)
        raise AssertionError(f"{argv[0]} did not finish in {timeout} s:\n{text}") from None
    reader.join(10)
    process.stdout.close()
    return Transcript(lines, process.returncode)


# Flink


@pytest.fixture(scope="session")
def job_jar(jdk, interop_cache, tmp_path_factory):
    """``InteropJob`` compiled against flink-dist, in a jar whose manifest names it."""
    base = tmp_path_factory.mktemp("job")
    classes = str(base / "classes")
    flink_dist = os.path.join(interop_cache.flink_home, "lib", f"flink-dist-{FLINK_VERSION}.jar")
    jdk.compile([os.path.join(JAVA_SOURCES, "InteropJob.java")], [flink_dist], classes)
    jar = str(base / "interop-job.jar")
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF",
                         "Manifest-Version: 1.0\r\nMain-Class: InteropJob\r\n\r\n")
        for name in sorted(os.listdir(classes)):
            archive.write(os.path.join(classes, name), name)
    return jar


@pytest.fixture(scope="session")
def flink_factory(jdk, interop_cache, tmp_path_factory):
    """
    :return: ``make(service, name, staging)``: a :class:`~yarnemu.interop.clients.FlinkClient`
        for ``service`` with ``yarn.staging-directory`` ``staging``, its Hadoop configuration
        giving containers Hadoop's jars (``yarn.application.classpath``).
    """
    def make(service, name, staging):
        base = tmp_path_factory.mktemp(name)
        hadoop_conf = write_hadoop_conf(
            str(base / "hadoop-conf"), service.rpc,
            yarn={"yarn.application.classpath": application_classpath(interop_cache)})
        flink_conf = write_flink_conf(str(base / "flink-conf"), interop_cache.flink_home, staging)
        return FlinkClient(jdk, interop_cache, flink_conf, hadoop_conf, str(base / "log"))
    return make


def webhdfs_staging(service):
    """:return: ``webhdfs://host:port/user/<user>``: the staging directory on the fake HDFS."""
    return f"webhdfs://{service.webhdfs.split('://', 1)[1]}/user/{getpass.getuser()}"


def application(service, application_id):
    """:return: the RM REST API's view of the application (``app``)."""
    response = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}", timeout=10)
    response.raise_for_status()
    return response.json()["app"]


def wait_until_ended(service, application_id, timeout=120):
    """:return: the application once FINISHED, FAILED or KILLED."""
    def ended():
        app = application(service, application_id)
        return app if app["state"] in ("FINISHED", "FAILED", "KILLED") else None
    return wait_for(ended, timeout, what=f"{application_id} to end")


def container_logs(service, application_id, name):
    """:return: the paths of the log files ``name`` of the application's containers."""
    sequence = application_id.split("_", 1)[1]
    return sorted(path for path in glob.glob(os.path.join(service.data_dir, "**", name),
                                             recursive=True)
                  if f"_{sequence}_" in path)
