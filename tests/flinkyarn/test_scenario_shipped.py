"""
The scenarios shipped in ``scripts/scenarios/`` each pass through the public command
(``yarnemu scenario run``), and the vocabulary file - the format's contract - is accepted and
runs (its story is incomplete, so some of its expectations fail: exit 0 or 1, never 2).
"""

import json
import pathlib

import pytest

from yarnemu.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scripts" / "scenarios").glob("*.yaml"))
VOCABULARY = ROOT / "tests" / "flinkyarn" / "scenario_files" / "vocabulary.yaml"

EXPECTED = {
    "quickstart", "per-job-detached", "per-job-attached", "application-two-jobs",
    "taskmanager-loss", "nodemanager-loss", "capacity-queues", "too-few-resources",
    "excess-containers", "idle-taskmanagers", "am-failure", "unknown-queue",
}


def test_every_scenario_the_issue_names_is_shipped():
    """One file per story: quickstart, the three deployment modes, faults, queues, resources."""
    assert EXPECTED <= {path.stem for path in SCENARIOS}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_shipped_scenario_passes(path, tmp_path, capsys, monkeypatch):
    """Every expectation of the shipped scenario holds: exit status 0, a PASS verdict."""
    monkeypatch.chdir(ROOT)
    report = tmp_path / "report.json"
    status = main(["scenario", "run", str(path.relative_to(ROOT)), "--quiet",
                   "--report", str(report)])
    out = capsys.readouterr().out
    assert status == 0, out
    result = json.loads(report.read_text())
    assert result["passed"] is True
    assert result["expectations"] and all(e["passed"] or e["optional"]
                                          for e in result["expectations"])


def test_the_vocabulary_file_is_accepted_and_runs(tmp_path, capsys, monkeypatch):
    """Every key of the vocabulary is accepted; the run reaches its expectations (exit 0 or 1)."""
    monkeypatch.chdir(ROOT)
    report = tmp_path / "report.json"
    status = main(["scenario", "run", str(VOCABULARY), "--quiet", "--report", str(report)])
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    result = json.loads(report.read_text())
    assert len(result["expectations"]) == 14
    assert {app["name"] for app in result["apps"]} == {"my-session", "nightly", "app-mode"}


def test_quickstart_draws_its_plot(tmp_path, monkeypatch, capsys):
    """The demo's scenario draws a PNG of containers per node and memory use."""
    monkeypatch.chdir(ROOT)
    plot = tmp_path / "quickstart.png"
    assert main(["scenario", "run", "scripts/scenarios/quickstart.yaml", "--quiet",
                 "--plot", str(plot)]) == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.stat().st_size > 20_000
    assert f"Plot written to {plot}" in capsys.readouterr().out
