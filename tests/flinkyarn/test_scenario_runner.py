"""
Tests of :class:`~flinkyarn.scenario.runner.ScenarioRun`: when a run ends, and how a step that
does not go through is recorded.
"""

import textwrap

from flinkyarn.scenario.events import StepFailed
from flinkyarn.scenario.reader import read_scenario
from flinkyarn.scenario.runner import ScenarioRun


def run_scenario(tmp_path, text):
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(text))
    return ScenarioRun(read_scenario(path), tmp_path / "data", dist_size="tiny").run()


def test_a_run_waits_for_a_last_deploy_to_reach_yarn_and_end(tmp_path):
    """A deploy as the last step, with only end checks: the run lasts until its app is done."""
    run = run_scenario(tmp_path, """\
        steps:
          - at: 0s
            deploy: per-job
            name: only
            program: wordcount
            args: {records: 20000}
            detached: true
        expect:
          - at: end
            app: only
            state: FINISHED
            final-status: SUCCEEDED
        """)
    assert run.ended_by == "nothing left to happen"
    assert run.passed, [r.outcome for r in run.results]


def test_a_per_job_program_without_a_job_fails_its_step(tmp_path):
    """A per-job deploy whose program runs no job: the step fails; no application exists."""
    program = tmp_path / "nothing.py"
    program.write_text("def main(args):\n    return None\n")
    run = run_scenario(tmp_path, f"""\
        run-until: 5m
        steps:
          - at: 0s
            deploy: per-job
            name: empty
            program: "{program}:main"
        expect:
          - at: end
            app: empty
            state: FINISHED
        """)
    (failed,) = [e for e in run.events.events if isinstance(e, StepFailed)]
    assert failed.action == "deploy"
    (result,) = run.results
    assert not result.passed
    assert "returned without running a job" in result.outcome.seen
    assert run.ended_by == "nothing left to happen"
