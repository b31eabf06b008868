"""
FLIP-40 driver mode in scenario files: ``deploy: driver`` — in a per-job cluster of its own, or
with ``session: NAME`` in a session — with the driver options as keys, and ``slots`` on a job
expectation.  Read (and refused at the right line), then run in virtual time.
"""

import json
import pathlib
import textwrap

import pytest

from flinkyarn.driver import DriverResources
from flinkyarn.scenario.errors import ScenarioError
from flinkyarn.scenario.events import StepFailed
from flinkyarn.scenario.model import Deploy, JobCheck
from flinkyarn.scenario.reader import read_scenario
from flinkyarn.scenario.runner import ScenarioRun
from flinkyarn.scenario.values import Comparison
from yarnemu.cli import main

REPO = pathlib.Path(__file__).resolve().parents[2]
THREE_JOBS = REPO / "scripts" / "programs" / "three_jobs.py"
SHIPPED = REPO / "scripts" / "scenarios" / "driver-three-jobs.yaml"

FAILING = """\
from flinkyarn.api import BoundedSource, StreamExecutionEnvironment, UnboundedSource


def main(args):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_source(UnboundedSource(1000), None, "Clicks").print()
    env.execute_async("Click Stream")
    env.from_source(BoundedSource(5000, 1000), None, "Orders").print()
    env.execute("Order Count")
    raise RuntimeError("the revenue table is missing")
"""


def write(tmp_path, text):
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def run_scenario(tmp_path, text):
    return ScenarioRun(read_scenario(write(tmp_path, text)), tmp_path / "data",
                       dist_size="tiny").run()


def test_driver_steps_and_their_options_are_read(tmp_path):
    scenario = read_scenario(write(tmp_path, f"""\
        steps:
          - at: 0s
            deploy: session
            name: shared
          - at: 10s
            deploy: driver
            session: shared
            program: "{THREE_JOBS}:main"
            driverheapmemory: 1g
            driverdirectmemory: 64
            drivernativememory: 32m
            drivercpus: 0.5
            detached: true
          - at: 20s
            deploy: driver
            name: own
            program: wordcount
        expect:
          - at: 30s
            job: {{cluster: shared, name: Flink Driver (three_jobs)}}
            slots: 1
        """))
    in_session, own = (step.action for step in scenario.steps[1:])
    assert in_session == Deploy(
        mode="driver", name=None, detached=True, program=f"{THREE_JOBS}:main", session="shared",
        driver=DriverResources(heap_mb=1024, direct_mb=64, cpus=0.5, native_mb=32))
    assert in_session.describe() == f"deploy driver running {THREE_JOBS}:main on shared"
    assert (own.name, own.session, own.driver) == ("own", None, DriverResources())
    assert scenario.expectations[0].check == JobCheck(
        "shared", "Flink Driver (three_jobs)", slots=Comparison.parse(1))


def test_a_driver_may_name_a_session_written_later_in_the_file(tmp_path):
    scenario = read_scenario(write(tmp_path, """\
        steps:
          - at: 10s
            deploy: driver
            session: shared
            program: wordcount
          - at: 0s
            deploy: session
            name: shared
        """))
    assert [step.action.describe() for step in scenario.steps] == [
        "deploy session cluster shared", "deploy driver running wordcount on shared"]


_BASE = ("steps:\n  - at: 0s\n    deploy: session\n    name: shared\n"
         "  - at: 0s\n    deploy: per-job\n    name: own\n    program: wordcount\n")
"""Lines 1 to 8: a session and a per-job cluster; the step under test starts on line 9."""


@pytest.mark.parametrize("step, line, phrase", [
    ("deploy: per-job\n    name: pj\n    program: wordcount\n    driverheapmemory: 512", 13,
     "'driverheapmemory' is for a driver (deploy: driver); this step deploys a per-job cluster"),
    ("deploy: driver\n    session: nowhere\n    program: wordcount", 11,
     "names session 'nowhere', which no deploy step deploys"),
    ("deploy: driver\n    session: own\n    program: wordcount", 11,
     "needs a session: 'own' is a per-job cluster"),
    ("deploy: driver\n    session: shared\n    name: mine\n    program: wordcount", 12,
     "a driver in session shared deploys no cluster: 'name' has nothing to apply to"),
    ("deploy: driver\n    name: d", 9, "a driver deployment needs 'program'"),
    ("deploy: driver\n    name: d\n    program: wordcount\n    driverheapmemory: 0", 13,
     "driverheapmemory of this deploy step: must be from 1 to"),
    ("deploy: driver\n    name: d\n    program: wordcount\n    drivercpus: 0", 13,
     "drivercpus of this deploy step: must be a positive number of cores, got 0"),
    ("deploy: driver\n    name: d\n    program: wordcount\n    drivercpus: many", 13,
     "expected a number of cores such as 1 or 0.5"),
    ("deploy: driver\n    name: d\n    program: wordcount\n    drivernativememory: lots", 13,
     "expected a memory size such as 768m"),
])
def test_driver_steps_are_refused_at_the_line_to_fix(tmp_path, step, line, phrase):
    path = tmp_path / "scenario.yaml"
    path.write_text(_BASE + f"  - at: 5s\n    {step}\n")
    with pytest.raises(ScenarioError) as error:
        read_scenario(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert phrase in message, message


def test_the_shipped_driver_scenario_passes_and_is_reproducible(tmp_path, monkeypatch, capsys):
    """Four jobs under the driver's name, the driver in one slot of its own TaskManager (a
    3072 MB container) all along, everything FINISHED; the same seed gives the same events."""
    monkeypatch.chdir(REPO)
    logs = []
    for run in range(2):
        events = tmp_path / f"events-{run}.jsonl"
        report = tmp_path / f"report-{run}.json"
        assert main(["scenario", "run", str(SHIPPED.relative_to(REPO)), "--quiet",
                     "--events", str(events), "--report", str(report)]) == 0
        logs.append(events.read_bytes())
    capsys.readouterr()
    assert logs[0] == logs[1]
    result = json.loads(report.read_text())
    assert sorted(job["name"] for job in result["jobs"]) == sorted([
        "Flink Driver (three_jobs)", "Flink Driver (three_jobs) - Ingest Orders",
        "Flink Driver (three_jobs) - Enrich Orders", "Flink Driver (three_jobs) - Daily Revenue"])
    assert {job["state"] for job in result["jobs"]} == {"FINISHED"}


def test_a_failing_driver_in_a_session(tmp_path):
    """main() raises: the driver FAILS, the job it left running is CANCELED, the one it waited
    for FINISHED, the session runs on; the attached step fails with the driver's failure."""
    program = tmp_path / "revenue.py"
    program.write_text(FAILING)
    run = run_scenario(tmp_path, f"""\
        run-until: 5m
        flink:
          taskmanager.numberOfTaskSlots: 2
        steps:
          - at: 0s
            deploy: session
            name: shared
          - at: 10s
            deploy: driver
            session: shared
            program: "{program}:main"
        expect:
          - at: 2m
            job: {{cluster: shared, name: Flink Driver (revenue)}}
            state: FAILED
            slots: 0
          - at: 2m
            job: {{cluster: shared, name: Flink Driver (revenue) - Click Stream}}
            state: CANCELED
          - at: 2m
            job: {{cluster: shared, name: Flink Driver (revenue) - Order Count}}
            state: FINISHED
          - at: 2m
            app: shared
            state: RUNNING
          - at: 2m
            log-contains: {{cluster: shared, text: "Cancelling job"}}
        """)
    assert run.passed, [(r.expectation.line, r.outcome) for r in run.results]
    [failed] = [event for event in run.events.events if isinstance(event, StepFailed)]
    assert failed.action == "deploy"
    assert "Job execution failed." in failed.error


def test_per_job_mode_refuses_a_program_of_three_jobs(tmp_path):
    """As in Flink 1.x per-job mode: the first job gets its cluster, the second execute() is
    refused and the step fails; only the driver runs the whole program."""
    run = run_scenario(tmp_path, f"""\
        run-until: 5m
        steps:
          - at: 0s
            deploy: per-job
            name: per-job
            program: "{THREE_JOBS}:main"
            args: {{records: 5000}}
            detached: true
        expect:
          - at: end
            jobs: {{cluster: per-job, count: 1}}
        """)
    [failed] = [event for event in run.events.events if isinstance(event, StepFailed)]
    assert "Cannot have more than one execute() or executeAsync() call in a single " \
           "environment." in failed.error
    assert run.passed
