"""
What the ``flinkyarn`` CLI tests share: refusals checked with no service at all, and the
command run as a process of its own against one ``twistd -n yarnemu`` process, found through
``$YARNEMU_ENDPOINTS`` with a tiny ``$FLINK_HOME`` and the properties file in the test's
``$TMPDIR``.
"""

import io
import os
import re
import subprocess
import sys
import time

from twisted.internet.task import Clock

from flinkyarn.cli.console import Console
from flinkyarn.cli.context import CliContext
from flinkyarn.client.flink_home import FlinkHome
from yarnemu.testing.service_process import ServiceProcess

__all__ = ["RefusingHttp", "failure_of", "start_cli_service", "cli_runner", "ok", "printed",
           "wait_for", "USER", "TINY", "JOB_SUBMITTED", "WEB_INTERFACE", "FOUND_WEB_INTERFACE"]

USER = "alice"
TINY = "-Dflinkyarn.simulation.dist.size=tiny"
JOB_SUBMITTED = re.compile(r"^Job has been submitted with JobID ([0-9a-f]{32})$", re.M)
WEB_INTERFACE = re.compile(
    r"^JobManager Web Interface: (http://\S+/proxy/(application_\d+_\d+)/)$", re.M)
FOUND_WEB_INTERFACE = re.compile(r"Found Web Interface \S+:\d+ of application "
                                 r"'(application_\d+_\d+)'\.")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO |WARN |ERROR) \S+ +\[\] - ")


class RefusingHttp:
    """No request may be sent."""

    def request(self, method, url, body=None, headers=None):
        raise AssertionError(f"unexpected request {method} {url}")


def failure_of(tmp_path, action, *arguments):
    """:return: the exception ``action`` fails with, run with no service to talk to."""
    context = CliContext(Clock(), {"FLINK_HOME": str(tmp_path / "flink"),
                                   "TMPDIR": str(tmp_path)},
                         Console(io.StringIO(), io.StringIO()), http=RefusingHttp())
    failures = []
    action(context, list(arguments)).addErrback(lambda failure: failures.append(failure.value))
    assert failures, "the action did not fail"
    return failures[0]


def start_cli_service(directory, time_scale="20"):
    """
    :return: a started :class:`ServiceProcess` (3 nodes, room for several JobManagers at once)
        with ``flink_home``, a tiny distribution, set on it.
    """
    process = ServiceProcess.start(
        directory / "service", "--nodes", "3", "--time-scale", time_scale,
        "--conf", "yarn.scheduler.capacity.maximum-am-resource-percent=0.5")
    process.flink_home = str(directory / "flink")
    FlinkHome.create(process.flink_home, "tiny")
    return process


def cli_runner(service, tmp_path, default_timeout=60):
    """
    :return: ``run(*arguments, stdin=None, env=None, timeout=...)`` running ``flinkyarn`` as a
        new process against ``service``; ``run.temp`` is its ``$TMPDIR``.
    """
    temp = tmp_path / "tmp"
    temp.mkdir()
    environ = dict(os.environ, YARNEMU_ENDPOINTS=service.endpoints_file,
                   FLINK_HOME=service.flink_home, HADOOP_USER_NAME=USER, TMPDIR=str(temp))
    for name in ("YARNEMU_RM", "YARNEMU_WEBHDFS"):
        environ.pop(name, None)

    def run(*arguments, stdin=None, env=None, timeout=default_timeout):
        return subprocess.run([sys.executable, "-m", "flinkyarn.cli.main", *arguments],
                              input=stdin, capture_output=True, text=True, timeout=timeout,
                              env=dict(environ, **(env or {})), cwd=str(tmp_path))

    run.temp = temp
    return run


def ok(done):
    """:return: the output of a command that must have exited 0."""
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def printed(text):
    """The console output without the log lines (the one-line ones)."""
    return "".join(line for line in text.splitlines(keepends=True) if not LOG_LINE.match(line))


def wait_for(predicate, seconds=20, interval=0.1):
    """:return: ``predicate()``'s first true value, or its last value after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
