"""
``yarnemu scenario run FILE [--seed N] [--events OUT.jsonl] [--report OUT.json] [--plot OUT.png]``.

Reads and checks the file (exit status 2 with ``FILE:LINE: message`` on stderr if it is wrong),
runs it in virtual time printing the timeline, then the summary and each expectation's result;
exit status 0 when every expectation that counts held, 1 otherwise.  A progress bar goes to
stderr when it is a terminal and the run takes more than a moment.
"""

import json
import sys
import tempfile

from flinkyarn.scenario.errors import ScenarioError
from flinkyarn.scenario.model import Deploy, Submit
from flinkyarn.scenario.progress import ProgressBar
from flinkyarn.scenario.reader import read_scenario
from flinkyarn.scenario.report import build_report, write_expectations, write_summary
from flinkyarn.scenario.runner import ScenarioRun

__all__ = ["add_arguments", "run_command", "EXIT_PASSED", "EXIT_FAILED", "EXIT_INVALID"]

EXIT_PASSED, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def add_arguments(parser):
    """Add ``scenario run``'s arguments to an ``argparse`` parser."""
    parser.add_argument("file", metavar="FILE", help="the scenario (YAML)")
    parser.add_argument("--seed", type=int, help="the random seed (default: the file's seed:)")
    parser.add_argument("--events", metavar="OUT.jsonl",
                        help="write the event stream as JSON lines")
    parser.add_argument("--report", metavar="OUT.json",
                        help="write the summary and expectation results as JSON")
    parser.add_argument("--plot", metavar="OUT.png",
                        help="draw containers per node over time and cluster memory use")
    parser.add_argument("--quiet", action="store_true",
                        help="print no timeline (summary and expectations only)")


def run_command(args, out=None, err=None):
    """Run ``scenario run`` with parsed ``args``; :return: the exit status."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        scenario = read_scenario(args.file)
    except ScenarioError as error:
        err.write(f"{error}\n")
        return EXIT_INVALID
    seed = scenario.seed if args.seed is None else args.seed
    out.write(f"Scenario: {scenario.name} ({args.file}, seed {seed})\n\n")
    with tempfile.TemporaryDirectory(prefix="yarnemu-scenario-") as data_dir:
        run = ScenarioRun(scenario, data_dir, seed=seed,
                          timeline=None if args.quiet else out)
        with ProgressBar(err, scenario.run_until_ms, label=f"virtual time of {scenario.name}") \
                as progress:
            run.run(progress=lambda done, total: progress.update(done))
        report = build_report(run)
        write_summary(report, out)
        write_expectations(report, out)
        if args.events:
            with open(args.events, "w", encoding="utf-8") as stream:
                run.events.write_jsonl(stream)
        if args.report:
            with open(args.report, "w", encoding="utf-8") as stream:
                json.dump(report, stream, indent=2)
                stream.write("\n")
        if args.plot:
            _plot(run, args.plot)
            out.write(f"Plot written to {args.plot}\n")
    return EXIT_PASSED if report["passed"] else EXIT_FAILED


def _plot(run, path):
    from flinkyarn.scenario.plot import write_plot

    labels_at = {}
    for step in run.scenario.steps:
        label = f"{step.kind} {_step_target(step.action)}".strip()
        labels_at.setdefault(run.start_ms + step.at_ms, []).append(label)
    steps = [(time_ms, ", ".join(labels)) for time_ms, labels in labels_at.items()]
    labels = {str(app_id): f"{name} ({app_id})"
              for name, app_id in run.deployed_applications().items()}
    write_plot(path, run.usage, run.start_ms, run.end_ms, steps,
               title=f"{run.scenario.name} (seed {run.seed})", app_labels=labels)


def _step_target(action):
    if isinstance(action, Deploy):
        return action.name or action.mode
    if isinstance(action, Submit):
        return action.name or action.program
    for attribute in ("job", "cluster", "app", "node"):
        value = getattr(action, attribute, None)
        if value is not None:
            return str(value)
    return ""
