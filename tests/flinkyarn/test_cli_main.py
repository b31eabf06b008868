"""
The ``flinkyarn`` command end to end, as a new user runs it: ``twistd -n yarnemu`` as one
process (time scale 20), each ``flinkyarn`` command as another, found through
``$YARNEMU_ENDPOINTS`` with a tiny ``$FLINK_HOME`` and the properties file in the test's
``$TMPDIR``.

* a detached session gets two programs — streaming-window (unbounded) and WordCount (bounded,
  long enough to still run) — ``list`` shows both, ``cancel`` ends one, an attached WordCount
  prints its result, ``stop`` takes a savepoint, ``yarnemu application -list`` shows the session
  RUNNING, and ``yarn-session -id`` with ``stop`` on stdin ends it FINISHED/SUCCEEDED;
* ``run -t yarn-per-job -d`` and ``run -t yarn-application`` deploy clusters that end
  FINISHED/SUCCEEDED with their staging directories gone;
* an attached ``yarn-session`` ends on ``stop``, deleting its properties file;
* bad input: an unknown program, an unknown or malformed application id, a malformed or unknown
  job id, no session, a service that is not running, an unknown action.
"""

import getpass
import io
import re
import socket
import subprocess
import sys

import pytest
import requests

from flinkyarn.cli.main import main
from tests.flinkyarn.cli_harness import (FOUND_WEB_INTERFACE, JOB_SUBMITTED, USER, WEB_INTERFACE,
                                         cli_runner, ok, printed, start_cli_service, wait_for)

@pytest.fixture(scope="module")
def service(tmp_path_factory):
    process = start_cli_service(tmp_path_factory.mktemp("flinkyarn-cli"))
    yield process
    process.stop()


@pytest.fixture
def cli(service, tmp_path):
    """``cli(*arguments, stdin=None, env=None)`` runs ``flinkyarn`` as a new process."""
    return cli_runner(service, tmp_path)


def app_report(service, application_id):
    answer = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}", timeout=10)
    answer.raise_for_status()
    return answer.json()["app"]


def staging_exists(service, application_id):
    answer = requests.get(f"{service.webhdfs}/webhdfs/v1/user/{USER}/.flink/{application_id}",
                          params={"op": "GETFILESTATUS", "user.name": USER}, timeout=10)
    return answer.status_code == 200


def job_line(job_id, name, state):
    return re.compile(rf"^\d\d\.\d\d\.\d{{4}} \d\d:\d\d:\d\d : {job_id} : {name} \({state}\)$",
                      re.M)


def assert_ends_finished_without_staging(service, application_id):
    report = wait_for(lambda: (lambda app: app if app["state"] == "FINISHED" else None)(
        app_report(service, application_id)))
    assert report, app_report(service, application_id)
    assert report["finalStatus"] == "SUCCEEDED"
    assert wait_for(lambda: not staging_exists(service, application_id))


def test_a_detached_session_runs_lists_cancels_and_stops_jobs(service, cli):
    output = ok(cli("yarn-session", "-d", "-nm", "cli-session"))
    url, session = WEB_INTERFACE.search(output).groups()
    assert url == f"{service.rm}/proxy/{session}/"
    assert requests.get(url + "overview", timeout=10).json()["flink-version"]
    properties = cli.temp / f".yarn-properties-{getpass.getuser()}"
    text = properties.read_text()
    assert text.startswith("#Generated YARN properties file\n")
    assert f"applicationID={session}\n" in text
    assert "dynamicPropertiesString=\n" in text

    streaming = JOB_SUBMITTED.search(ok(cli("run", "-d", "streaming-window"))).group(1)
    bounded = JOB_SUBMITTED.search(ok(cli("run", "-d", "wordcount", "--records",
                                          "100000000"))).group(1)

    def both_running():
        listing = printed(ok(cli("list")))
        running = (job_line(streaming, "Streaming Window", "RUNNING").search(listing)
                   and job_line(bounded, "WordCount", "RUNNING").search(listing))
        return listing if running else None

    listing = wait_for(both_running, seconds=15, interval=0.2)
    assert listing, ok(cli("list", "-a"))
    assert listing.startswith("Waiting for response...\n")
    assert "------------------ Running/Restarting Jobs -------------------\n" in listing
    assert listing.endswith("--------------------------------------------------------------\n"
                            "No scheduled jobs.\n")

    cancelled = printed(ok(cli("cancel", bounded)))
    assert cancelled == f"Cancelling job {bounded}.\nCancelled job {bounded}.\n"
    assert wait_for(lambda: job_line(bounded, "WordCount", "CANCELED").search(
        ok(cli("list", "-a"))), interval=0.2)

    unknown = cli("cancel", "0" * 32)
    assert unknown.returncode == 1
    assert "The program finished with the following exception:" in unknown.stderr
    assert f"org.apache.flink.util.FlinkException: Could not cancel job {'0' * 32}." \
        in unknown.stderr

    attached = ok(cli("run", "wordcount", "--records", "2000"))
    finished = JOB_SUBMITTED.search(attached).group(1)
    assert re.search(rf"^Program execution finished\nJob with JobID {finished} has finished\."
                     r"\nJob Runtime: \d+ ms$", attached, re.M), attached

    listing = ok(subprocess.run([sys.executable, "-m", "yarnemu.cli", "application", "-list",
                                 "--rm", service.rm], capture_output=True, text=True,
                                timeout=60))
    row = next(line for line in listing.splitlines() if line.startswith(session))
    assert "cli-session" in row and "RUNNING" in row

    stopped = printed(ok(cli("stop", "--savepointPath", f"hdfs:///user/{USER}/savepoints",
                             streaming)))
    assert stopped.startswith(f'Suspending job "{streaming}" with a CANONICAL savepoint.\n')
    assert re.search(rf"^Savepoint completed\. Path: hdfs:///user/{USER}/savepoints/savepoint-",
                     stopped, re.M), stopped

    ended = ok(cli("yarn-session", "-id", session, stdin="stop\n"))
    assert f"Application {session} finished with state FINISHED and final state SUCCEEDED" \
        in ended
    assert not properties.exists()
    assert_ends_finished_without_staging(service, session)


def test_a_per_job_cluster_finishes_and_cleans_up(service, cli):
    output = ok(cli("run", "-t", "yarn-per-job", "-d", "wordcount", "--records", "2000"))
    application_id = FOUND_WEB_INTERFACE.search(output).group(1)
    assert JOB_SUBMITTED.search(output)
    assert "Job Clusters are deprecated since Flink 1.15." in output
    assert app_report(service, application_id)["name"] == "Flink per-job cluster"
    assert_ends_finished_without_staging(service, application_id)


def test_an_application_cluster_finishes_and_cleans_up(service, cli):
    output = ok(cli("run", "-t", "yarn-application", "-p", "2", "wordcount", "--records",
                    "2000"))
    application_id = FOUND_WEB_INTERFACE.search(output).group(1)
    assert app_report(service, application_id)["name"] == "Flink Application Cluster"
    assert_ends_finished_without_staging(service, application_id)

    output = ok(cli("run-application", "-t", "yarn-application", "wordcount", "--records",
                    "2000"))
    assert_ends_finished_without_staging(service, FOUND_WEB_INTERFACE.search(output).group(1))


def test_an_attached_session_ends_when_told_to_stop(service, cli):
    done = cli("yarn-session", stdin="help\nstop\n")
    output = ok(done)
    session = WEB_INTERFACE.search(output).group(2)
    assert done.stderr == ("Available commands:\nhelp - show these commands\n"
                           "stop - stop the YARN session\n")
    assert "Deleted Yarn properties file at" in output
    assert list(cli.temp.iterdir()) == []
    assert_ends_finished_without_staging(service, session)


def test_an_unknown_program_is_refused_before_anything_is_deployed(service, cli):
    done = cli("run", "-t", "yarn-per-job", "no-such-program")
    assert done.returncode == 1
    assert done.stdout.startswith(
        "Could not get job jar and dependencies from JAR file: Unknown program "
        "'no-such-program': give a built-in program (streaming-window, wordcount) or a Python "
        "file as path/to/program.py[:function].\n\n"
        "Use the help option (-h or --help) to get help on the command.\n")
    before = requests.get(f"{service.rm}/ws/v1/cluster/apps", timeout=10).json()
    done = cli("run", "-t", "yarn-application", "missing.py")
    assert done.returncode == 1
    assert "Program file 'missing.py' does not exist." in done.stdout
    assert requests.get(f"{service.rm}/ws/v1/cluster/apps", timeout=10).json() == before


def test_an_unknown_application_id_fails_with_yarns_answer(cli):
    for arguments in (("list", "-yid", "application_1_9999"),
                      ("run", "-d", "-yid", "application_1_9999", "wordcount")):
        done = cli(*arguments)
        assert done.returncode == 1, done
        assert " The program finished with the following exception:\n" in done.stderr
        assert "ClusterRetrieveException: Couldn't retrieve Yarn cluster" in done.stderr
        assert "ApplicationNotFoundException" in done.stderr
        assert "application_1_9999" in done.stderr
    done = cli("list", "-yid", "not-an-id")
    assert done.returncode == 1
    assert "Invalid ApplicationId: not-an-id" in done.stderr


def test_bad_job_ids_and_missing_sessions(cli):
    done = cli("cancel", "xyz")
    assert (done.returncode, done.stdout) == (
        1, 'Cannot parse JobID from "xyz". The expected format is [0-9a-fA-F]{32}, e.g. '
           "fd72014d4c864993a2e5a9287b4a9c5d.\n\n"
           "Use the help option (-h or --help) to get help on the command.\n")
    done = cli("list")
    assert done.returncode == 1
    assert "org.apache.flink.util.FlinkException: No cluster id was specified. Please specify " \
           "a cluster to which you would like to connect." in done.stderr
    done = cli("submit")
    assert done.returncode == 1
    assert done.stdout.startswith('"submit" is not a valid action.\n')


def test_a_service_that_is_not_running_is_named(cli):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = f"http://127.0.0.1:{port}"
    for arguments in (("list", "-yid", "application_1_0001"), ("yarn-session", "-d")):
        done = cli(*arguments, "--rm", nowhere, "--webhdfs", nowhere)
        assert done.returncode == 1, done
        assert done.stderr.startswith(
            f"Could not connect to the yarnemu ResourceManager at {nowhere} (Connection "
            "refused). Is the service running there?"), done.stderr


def run_main(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), environ={}, stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_no_action_an_invalid_action_help_and_version():
    code, out, _ = run_main()
    assert code == 1 and out.startswith("flinkyarn <ACTION> [OPTIONS] [ARGUMENTS]\n")
    assert out.endswith("Please specify an action.\n")
    assert 'Action "run" compiles and runs a program.' in out
    code, out, _ = run_main("deploy")
    assert code == 1
    assert out == ('"deploy" is not a valid action.\n\nValid actions are "run", '
                   '"run-application", "list", "yarn-session", "stop", or "cancel".\n\n'
                   "Specify the version option (-v or --version) to print Flink version.\n\n"
                   "Specify the help option (-h or --help) to get help on the command.\n")
    assert run_main("--help")[0] == 0
    assert run_main("-v") == (0, "Version: 1.18.1\n", "")
