"""
Tests of the demo: the run it makes, its timeline, and determinism of its event log.
"""

import io

from yarnemu.cli import main
from yarnemu.demo import run_demo
from yarnemu.records import ContainerExitStatus, FinalApplicationStatus, RMAppState


def event_log_bytes(tmp_path, name, seed):
    result = run_demo(tmp_path / name, seed=seed)
    stream = io.StringIO()
    result.cluster.events.write_jsonl(stream)
    return stream.getvalue().encode(), result


def test_the_demo_application_succeeds_with_four_containers_exiting_zero(tmp_path):
    """The demo app ends FINISHED/SUCCEEDED; four task containers were allocated on NM heartbeats and exit 0."""
    _, result = event_log_bytes(tmp_path, "a", 0)
    app = result.app
    assert app.state is RMAppState.FINISHED
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED
    tasks = [c for c in app.current_attempt.containers
             if not c.is_am and c.exit_status == ContainerExitStatus.SUCCESS]
    assert len(tasks) == 4
    allocated = {e.container_id for e in result.cluster.events.events
                 if e.kind == "container.allocated"}
    assert {c.container_id for c in tasks} <= allocated


def test_the_same_seed_gives_a_byte_identical_event_log(tmp_path):
    """Running the demo twice with one seed writes the same event log, byte for byte."""
    first, _ = event_log_bytes(tmp_path, "first", 7)
    second, _ = event_log_bytes(tmp_path, "second", 7)
    assert first == second and len(first) > 1000


def test_the_demo_command_prints_the_timeline_and_writes_events(tmp_path, capsys):
    """``yarnemu demo`` prints the app's states in virtual time and exits 0."""
    events = tmp_path / "events.jsonl"
    assert main(["demo", "--events", str(events)]) == 0
    out = capsys.readouterr().out
    for text in ("NEW -> NEW_SAVING", "ACCEPTED -> RUNNING", "FINISHING -> FINISHED",
                 "final state   FINISHED / SUCCEEDED", "heartbeat (OFF_SWITCH"):
        assert text in out
    assert events.read_text().count("\n") > 50
