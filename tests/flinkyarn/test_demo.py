"""
Tests of the main demo (:mod:`flinkyarn.demo`): the story it tells, its output, and the
determinism of its event log.
"""

import io

import pytest

from flinkyarn import demo
from flinkyarn.demo import main, run_demo
from flinkyarn.states import JobStatus


def event_log(result):
    stream = io.StringIO()
    result.flink.events.write_jsonl(stream)
    return stream.getvalue().encode()


def test_the_demo_session_runs_both_jobs_survives_a_killed_task_manager_and_ends(tmp_path):
    """WordCount finishes, the window job restarts once after the kill and is cancelled, the
    session ends FINISHED/SUCCEEDED and its staging directory is gone."""
    result = run_demo(tmp_path / "run", dist_size="tiny")
    assert result.succeeded
    assert result.jobs == {"WordCount": (JobStatus.FINISHED, 0),
                           "Streaming Window": (JobStatus.CANCELED, 1)}
    containers = [c for attempt in result.flink.rm.apps[result.application_id].attempts
                  for c in attempt.containers]
    exits = {c.container_id: int(c.exit_status) for c in containers}
    assert exits[result.killed] == 137
    assert len(containers) == 4  # the JobManager, two TaskManagers and the replacement


def test_the_same_seed_gives_a_byte_identical_event_log_wherever_it_runs(tmp_path):
    """Two runs with one seed, in different directories, write the same event log."""
    first = event_log(run_demo(tmp_path / "first", seed=5, dist_size="tiny"))
    second = event_log(run_demo(tmp_path / "second", seed=5, dist_size="tiny"))
    assert first == second and first.count(b"\n") > 300


def test_the_demo_command_prints_the_timeline_and_the_summary(tmp_path, capsys):
    """``python -m flinkyarn.demo`` prints YARN's and Flink's story and exits 0."""
    events = tmp_path / "events.jsonl"
    assert main(["--events", str(events)]) == 0
    out = capsys.readouterr().out
    for text in ("Submitting application master", "ACCEPTED -> RUNNING on ATTEMPT_REGISTERED",
                 "Requesting new TaskExecutor container", "exit status 137",
                 "Restarting job", "switched from state CANCELLING to CANCELED",
                 "session       application_1767225600000_0001 'Flink session cluster': "
                 "FINISHED / SUCCEEDED", "job           Streaming Window: CANCELED, numRestarts 1",
                 ", deleted\n"):
        assert text in out
    assert events.read_text().count("\n") > 300


def test_the_demo_command_refuses_a_cluster_without_nodes(capsys):
    """``--nodes 0`` is a usage error (exit code 2) naming the option."""
    with pytest.raises(SystemExit) as exited:
        main(["--nodes", "0"])
    assert exited.value.code == 2
    assert "--nodes must be positive: 0" in capsys.readouterr().err


def test_a_demo_that_does_not_get_to_its_end_says_why_and_exits_1(monkeypatch, capsys):
    """If the story cannot finish, the command prints what stopped it and exits 1."""
    def stuck(*args, **kwargs):
        raise TimeoutError("nothing happened within 3600 s of virtual time")

    monkeypatch.setattr(demo, "run_demo", stuck)
    assert main([]) == 1
    assert ("The demo did not get to its end: TimeoutError: nothing happened within 3600 s of "
            "virtual time") in capsys.readouterr().out
