"""
``flinkyarn run --driver`` (FLIP-40 driver mode), as a user runs it: first the command lines it
refuses before anything is deployed, then, against one ``twistd -n yarnemu`` process (time scale
20), each command as a process of its own:

* in a session, a detached driver of ``scripts/programs/three_jobs.py`` returns with the driver
  job's id; ``list`` shows the driver and its jobs, named after it, while they run; the driver's
  options size its TaskManager (``/taskmanagers`` through the RM proxy); all four end FINISHED;
* an attached driver waits and prints the driver job's result; one whose ``main()`` raises
  exits 1 with ``main()``'s exception;
* per-job mode refuses the three-job program; ``--driver -t yarn-per-job`` runs it in a cluster
  of its own, which ends FINISHED/SUCCEEDED.
"""

import io
import os
import re

import pytest
import requests
from twisted.internet.task import Clock

from flinkyarn.cli.console import Console
from flinkyarn.cli.context import CliContext
from flinkyarn.cli.options import CliArgsException
from flinkyarn.cli.run import run_action, run_application_action
from tests.flinkyarn.cli_harness import (FOUND_WEB_INTERFACE, JOB_SUBMITTED, TINY, WEB_INTERFACE,
                                         RefusingHttp, cli_runner, failure_of, ok, printed,
                                         start_cli_service, wait_for)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THREE_JOBS = os.path.join(ROOT, "scripts", "programs", "three_jobs.py")
DRIVER = "Flink Driver (three_jobs)"
CHILDREN = ("Ingest Orders", "Enrich Orders", "Daily Revenue")
FAILING = """\
from flinkyarn.api import BoundedSource, StreamExecutionEnvironment


def main(args):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_source(BoundedSource(2000, 1000), None, "Orders").print()
    env.execute("Order Count")
    raise KeyError("revenue")
"""


# Refused before anything is deployed (no service is asked anything)


def refusal(tmp_path, action, *arguments):
    failure = failure_of(tmp_path, action, *arguments)
    assert isinstance(failure, CliArgsException), failure
    return failure.message


@pytest.mark.parametrize("arguments, message", [
    (("--driverheapmemory", "512", THREE_JOBS),
     "The option --driverheapmemory requires driver mode (--driver)."),
    (("--drivercpus", "2", "-t", "yarn-per-job", THREE_JOBS),
     "The option --drivercpus requires driver mode (--driver)."),
    (("--driver", "--driverheapmemory", "lots", THREE_JOBS),
     "The driver heap memory must be a positive whole number of MB: lots"),
    (("--driver", "--driverheapmemory", "0", THREE_JOBS),
     "The driver heap memory must be a positive whole number of MB: 0"),
    (("--driver", "--driverdirectmemory", "-1", THREE_JOBS),
     "The driver direct memory must be a non-negative whole number of MB: -1"),
    (("--driver", "--drivernativememory", "1.5", THREE_JOBS),
     "The driver native memory must be a non-negative whole number of MB: 1.5"),
    (("--driver", "--drivercpus", "0", THREE_JOBS),
     "The driver cpus must be a positive number of cores: 0"),
    (("--driver", "--drivercpus", "nan", THREE_JOBS),
     "The driver cpus must be a positive number of cores: nan"),
    (("--driver", TINY, "-t", "yarn-application", THREE_JOBS),
     "Driver mode (--driver) runs main() in a driver job on a session (yarn-session) or a "
     "per-job cluster (yarn-per-job); an application cluster (yarn-application) runs main() in "
     "its JobManager already."),
])
def test_driver_command_lines_refused_before_anything_is_deployed(tmp_path, arguments, message):
    assert refusal(tmp_path, run_action, *arguments) == message


def test_run_application_takes_no_driver(tmp_path):
    assert refusal(tmp_path, run_application_action, "-t", "yarn-application", "--driver",
                   THREE_JOBS).startswith("Driver mode (--driver) runs main() in a driver job")


def test_the_flip_short_forms_are_configuration_properties_and_help_says_so(tmp_path):
    """-Dhm is -D hm=true: the FLIP's short forms cannot be options; ``run --help`` names the
    long ones and says why."""
    out = io.StringIO()
    context = CliContext(Clock(), {"FLINK_HOME": str(tmp_path / "flink")},
                         Console(out, io.StringIO()), http=RefusingHttp())
    answers = []
    run_action(context, ["--help"]).addBoth(answers.append)
    assert answers == [0]
    out = out.getvalue()
    for option in ("--driver ", "--driverheapmemory <arg>", "--driverdirectmemory <arg>",
                   "--drivercpus <arg>", "--drivernativememory <arg>"):
        assert option in out
    help_text = " ".join(out.split())
    assert "FLIP-40's -D, -Dhm, -Ddm, -Dc and -Dnm would be read as -Dkey=value configuration " \
           "properties." in help_text
    assert "Driver task heap memory in MB" in help_text


# Against the service


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    process = start_cli_service(tmp_path_factory.mktemp("flinkyarn-driver"))
    yield process
    process.stop()


@pytest.fixture
def cli(service, tmp_path):
    return cli_runner(service, tmp_path, default_timeout=90)


def listed(cli):
    """:return: name → state of the jobs ``flinkyarn list -a`` prints."""
    return dict(re.findall(r"^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d : [0-9a-f]{32} : (.+) \((\w+)\)$",
                           ok(cli("list", "-a")), re.M))


def app_state(service, application_id):
    app = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}", timeout=10).json()
    return app["app"]["state"], app["app"]["finalStatus"]


@pytest.fixture
def session(service, cli):
    output = ok(cli("yarn-session", "-d", "-nm", "driver-session", "-s", "2"))
    url, application_id = WEB_INTERFACE.search(output).groups()
    yield url, application_id
    requests.put(f"{service.rm}/ws/v1/cluster/apps/{application_id}/state",
                 json={"state": "KILLED"}, timeout=10)


def test_a_detached_driver_in_a_session_runs_three_jobs_named_after_it(service, cli, session):
    url, _ = session
    output = ok(cli("run", "-d", "--driver", "--driverheapmemory", "1024", "--drivercpus", "1",
                    "-p", "2", THREE_JOBS, "--records", "200000",
                    "--records-per-second", "5000"))
    [driver_id] = JOB_SUBMITTED.findall(output)
    assert "Program execution finished" not in output

    def driver_and_a_job_running():
        jobs = listed(cli)
        return jobs if jobs.get(DRIVER) == "RUNNING" and any(
            state == "RUNNING" for name, state in jobs.items() if name != DRIVER) else None

    running = wait_for(driver_and_a_job_running, seconds=30)
    assert running, listed(cli)
    names = {DRIVER, *(f"{DRIVER} - {name}" for name in CHILDREN)}
    assert set(running) <= names

    overview = requests.get(url + "jobs/overview", timeout=10).json()["jobs"]
    assert set(running) <= {job["name"] for job in overview} <= names
    taskmanagers = requests.get(url + "taskmanagers", timeout=10).json()["taskmanagers"]
    [driver_tm] = [tm for tm in taskmanagers if tm["slotsNumber"] == 1]
    assert (driver_tm["totalResource"]["cpuCores"], driver_tm["totalResource"]["taskHeapMemory"]) \
        == (1.0, 1024)
    allocated = requests.get(url + f"taskmanagers/{driver_tm['id']}",
                             timeout=10).json()["allocatedSlots"]
    assert [slot["jobId"] for slot in allocated] == [driver_id]

    everything = {DRIVER: "FINISHED", **{f"{DRIVER} - {name}": "FINISHED" for name in CHILDREN}}
    assert wait_for(lambda: listed(cli) == everything, seconds=60), listed(cli)


def test_an_attached_driver_prints_its_result_or_mains_exception(service, cli, session,
                                                                tmp_path):
    output = ok(cli("run", "--driver", THREE_JOBS, "--records", "10000"))
    driver_id = JOB_SUBMITTED.search(output).group(1)
    assert re.search(rf"^Program execution finished\nJob with JobID {driver_id} has finished\."
                     r"\nJob Runtime: \d+ ms$", printed(output), re.M), output
    jobs = listed(cli)
    assert jobs[DRIVER] == "FINISHED"
    assert all(jobs[f"{DRIVER} - {name}"] == "FINISHED" for name in CHILDREN)

    program = tmp_path / "revenue.py"
    program.write_text(FAILING)
    failed = cli("run", "--driver", str(program))
    assert failed.returncode == 1
    assert " The program finished with the following exception:" in failed.stderr
    assert "org.apache.flink.runtime.client.JobExecutionException: Job execution failed." \
        in failed.stderr
    assert "The main method caused an error: 'revenue'" in failed.stderr
    assert 'File "usrlib/revenue.py", line 8, in main' in failed.stderr
    assert "KeyError: 'revenue'" in failed.stderr
    jobs = listed(cli)
    assert (jobs["Flink Driver (revenue)"], jobs["Flink Driver (revenue) - Order Count"]) == \
        ("FAILED", "FINISHED")


def test_per_job_refuses_three_jobs_and_a_driver_of_its_own_runs_them(service, cli):
    refused = cli("run", "-t", "yarn-per-job", "-d", THREE_JOBS, "--records", "2000")
    assert refused.returncode == 1
    assert "Cannot have more than one execute() or executeAsync() call in a single " \
           "environment." in refused.stderr

    output = ok(cli("run", "-t", "yarn-per-job", "-d", "--driver", "--driverheapmemory", "512",
                    THREE_JOBS, "--records", "10000"))
    application_id = FOUND_WEB_INTERFACE.search(output).group(1)
    assert JOB_SUBMITTED.search(output)
    assert wait_for(lambda: app_state(service, application_id) == ("FINISHED", "SUCCEEDED"),
                    seconds=60), app_state(service, application_id)
