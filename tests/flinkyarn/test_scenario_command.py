"""
Tests for ``yarnemu scenario run FILE`` through the public entry point
:func:`yarnemu.cli.main`: exit status 2 with ``FILE:LINE: message`` for an invalid file, 0 when
every expectation holds, 1 when one fails; the timeline, summary and expectations on stdout; and
the ``--report``, ``--events``, ``--seed`` and ``--plot`` outputs.

Each run is a tiny session scenario a few virtual minutes long.
"""

import json
import textwrap

from yarnemu.cli import main

TINY = """\
    name: tiny
    run-until: 5m
    cluster:
      nodes:
        - {count: 3, memory-mb: 4096, vcores: 8}
    steps:
      - at: 0s
        deploy: session
        name: s
      - at: 10s
        submit: {cluster: s, program: wordcount, name: wc, args: {records: 20000}}
      - at: 2m
        stop-cluster: {cluster: s}
    expect:
      - at: end
        job: {cluster: s, name: wc}
        state: {job_state}
      - at: end
        app: s
        state: FINISHED
        final-status: SUCCEEDED
    """


def write_tiny(directory, job_state="FINISHED", name="tiny.yaml"):
    path = directory / name
    path.write_text(textwrap.dedent(TINY).replace("{job_state}", job_state), encoding="utf-8")
    return path


def test_an_invalid_file_exits_2_with_file_and_line_on_stderr_and_runs_nothing(tmp_path, capsys):
    """An invalid file: status 2, FILE:LINE: message on stderr, nothing on stdout."""
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""\
        name: bad
        steps:
          - at: 0s
            deploy: sesion
        """), encoding="utf-8")
    status = main(["scenario", "run", str(path)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.startswith(f"{path}:4: ")
    assert "'sesion' is not one of session, per-job, application" in captured.err
    assert captured.out == ""


def test_a_nonexistent_file_exits_2(tmp_path, capsys):
    """A file that does not exist: status 2, the path and 'cannot read' on stderr."""
    path = tmp_path / "missing.yaml"
    status = main(["scenario", "run", str(path)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.startswith(f"{path}: cannot read the scenario file")
    assert captured.out == ""


def test_a_valid_scenario_passes_and_prints_timeline_summary_and_expectations(tmp_path, capsys):
    """A session running wordcount then stopped: status 0 and the whole story on stdout."""
    path = write_tiny(tmp_path)
    status = main(["scenario", "run", str(path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.startswith(f"Scenario: tiny ({path}, seed 0)")
    assert "Scenario  step (line 7)" in out
    assert "deploy session cluster s" in out
    assert "submit wordcount as wc to s" in out
    assert "stop cluster s" in out
    assert "switched from state RUNNING to FINISHED" in out
    assert "\nSummary: tiny (seed 0)" in out
    assert "\nExpectations\n" in out
    assert out.index("Summary") < out.index("\nExpectations\n")
    assert "PASS            line 15" in out
    assert "PASS            line 18" in out
    assert "FAIL" not in out
    assert out.rstrip().endswith("2 of 2 expectations passed: PASS")


def test_a_wrong_expectation_fails_with_status_1_and_shows_what_was_seen(tmp_path, capsys):
    """Expecting the finished job to be CANCELED: status 1, a FAIL line and what was seen."""
    path = write_tiny(tmp_path, job_state="CANCELED")
    status = main(["scenario", "run", str(path), "--quiet"])
    out = capsys.readouterr().out
    assert status == 1, out
    fail_line = next(line for line in out.splitlines() if line.lstrip().startswith("FAIL"))
    assert "line 15" in fail_line
    assert "job wc of s: state CANCELED" in fail_line
    seen = out.splitlines()[out.splitlines().index(fail_line) + 1]
    assert "seen: FINISHED" in seen
    assert "PASS            line 18" in out
    assert out.rstrip().endswith("1 of 2 expectations passed: FAIL")


def test_quiet_prints_no_timeline(tmp_path, capsys):
    """--quiet leaves out the timeline but keeps the summary and expectations."""
    path = write_tiny(tmp_path)
    status = main(["scenario", "run", str(path), "--quiet"])
    out = capsys.readouterr().out
    assert status == 0
    assert "switched from state" not in out
    assert "Summary: tiny" in out
    assert "Expectations" in out


def test_report_writes_json_with_the_summary_and_results(tmp_path, capsys):
    """--report writes the summary and each expectation's result as JSON."""
    path = write_tiny(tmp_path)
    report_path = tmp_path / "report.json"
    status = main(["scenario", "run", str(path), "--quiet", "--report", str(report_path)])
    capsys.readouterr()
    assert status == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    for key in ("scenario", "apps", "jobs", "containers_per_node", "memory_utilization",
                "expectations", "passed"):
        assert key in report, key
    assert report["passed"] is True
    assert len(report["expectations"]) == 2


def test_events_are_byte_identical_for_the_same_seed(tmp_path, capsys):
    """Same file and seed, run in different directories: the same event log, byte for byte."""
    path = write_tiny(tmp_path)
    logs = []
    for run in ("first", "second"):
        directory = tmp_path / run
        directory.mkdir()
        events = directory / "events.jsonl"
        assert main(["scenario", "run", str(path), "--quiet", "--events", str(events)]) == 0
        logs.append(events.read_bytes())
    capsys.readouterr()
    assert logs[0]
    assert logs[0] == logs[1]
    first_event = json.loads(logs[0].splitlines()[0])
    assert "time" in first_event and "kind" in first_event


def test_a_different_seed_still_runs(tmp_path, capsys):
    """--seed overrides the file's seed; the run still passes and writes its events."""
    path = write_tiny(tmp_path)
    events = tmp_path / "seed-5.jsonl"
    status = main(["scenario", "run", str(path), "--seed", "5", "--events", str(events)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "seed 5" in out.splitlines()[0]
    assert events.stat().st_size > 0


def test_plot_writes_a_png(tmp_path, capsys):
    """--plot writes a PNG image and says where."""
    path = write_tiny(tmp_path)
    plot = tmp_path / "usage.png"
    status = main(["scenario", "run", str(path), "--quiet", "--plot", str(plot)])
    out = capsys.readouterr().out
    assert status == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Plot written to {plot}" in out
