"""
A finished run, told: :func:`build_report` gathers it into one JSON-ready dict — each application
and job with its final state and key latencies, containers per node, cluster memory utilization,
and each expectation's result — and :func:`write_summary` prints that same dict for a person.
``--report`` writes the dict; the console shows the text; both say the same things.

Latencies are virtual milliseconds: for an application, from its submission to ACCEPTED, to
RUNNING (its JobManager registered), to its first TaskManager registering, and to its end; for a
job, from its creation (submission to the Dispatcher) to RUNNING and to its terminal state.
"""

from flinkyarn.scenario.values import format_duration
from yarnemu.records.ids import ApplicationId

__all__ = ["build_report", "write_summary", "write_expectations"]


def build_report(run):
    """:return: the report of a finished :class:`~flinkyarn.scenario.runner.ScenarioRun`."""
    scenario = run.scenario
    peak, mean = run.usage.utilization(run.start_ms, run.end_ms)
    names = {str(app_id): name for name, app_id in run.deployed_applications().items()}
    return {
        "scenario": scenario.name,
        "file": scenario.path,
        "seed": run.seed,
        "virtual_ms": run.end_ms - run.start_ms,
        "ended_by": run.ended_by,
        "apps": [_app(run, record, names) for record in run.records.apps.values()],
        "jobs": [_job(record, names) for record in run.records.jobs.values()],
        "containers_per_node": {node.split(":")[0]: count
                                for node, count in run.usage.containers_per_node().items()},
        "memory_utilization": {"peak": round(peak, 4), "mean": round(mean, 4)},
        "expectations": [_expectation(run, result) for result in run.results],
        "passed": run.passed,
    }


def _since(start, time_ms):
    return None if time_ms is None or start is None else time_ms - start


def _app(run, record, names):
    application_id = ApplicationId.parse(record.application_id)
    client = run.flink.application_report(application_id)
    return {
        "name": names.get(record.application_id, record.name),
        "application_id": record.application_id,
        "type": client.application_type,
        "queue": client.queue,
        "user": client.user,
        "state": client.yarn_application_state.value,
        "final_status": client.final_application_status.value,
        "attempts": len(run.flink.rm.apps[application_id].attempts),
        "latencies_ms": {
            "accepted": _since(record.submitted_ms, record.accepted_ms),
            "running": _since(record.submitted_ms, record.running_ms),
            "first_taskmanager": _since(record.submitted_ms, record.first_taskmanager_ms),
            "ended": _since(record.submitted_ms, record.ended_ms),
        },
    }


def _job(record, names):
    return {
        "cluster": names.get(record.application_id, record.application_id),
        "application_id": record.application_id,
        "job_id": record.job_id,
        "name": record.name,
        "label": record.label,
        "state": record.state.value,
        "restarts": record.restarts,
        "latencies_ms": {
            "running": _since(record.created_ms, record.running_ms),
            "ended": _since(record.created_ms, record.ended_ms),
        },
    }


def _expectation(run, result):
    expectation = result.expectation
    return {
        "line": expectation.line,
        "at": "end" if expectation.at_ms is None else format_duration(expectation.at_ms),
        "checked_at_ms": result.time_ms - run.start_ms,
        "expected": result.outcome.expected,
        "passed": result.outcome.passed,
        "optional": expectation.optional,
        "seen": result.outcome.seen,
    }


# Text


def _latency(value):
    if value is None:
        return "-"
    return format_duration(value) if value >= 1000 else f"{value}ms"


def write_summary(report, out):
    """Print the summary part of ``report``: applications, jobs, nodes, memory."""
    out.write(f"\nSummary: {report['scenario']} (seed {report['seed']}), "
              f"{format_duration(report['virtual_ms'])} of virtual time, ended by "
              f"{report['ended_by']}\n")
    out.write("  applications\n")
    if not report["apps"]:
        out.write("    (none)\n")
    for app in report["apps"]:
        latencies = app["latencies_ms"]
        out.write(f"    {app['name']:<16} {app['application_id']}  "
                  f"{app['state']}/{app['final_status']}  queue {app['queue']}, "
                  f"attempts {app['attempts']}\n")
        out.write(f"    {'':<16} ACCEPTED after {_latency(latencies['accepted'])}, "
                  f"RUNNING after {_latency(latencies['running'])}, first TaskManager after "
                  f"{_latency(latencies['first_taskmanager'])}, ended after "
                  f"{_latency(latencies['ended'])}\n")
    out.write("  jobs\n")
    if not report["jobs"]:
        out.write("    (none)\n")
    for job in report["jobs"]:
        label = f"{job['label']} ({job['name']})" if job["label"] and job["label"] != job["name"] \
            else job["name"]
        latencies = job["latencies_ms"]
        out.write(f"    {label:<28} on {job['cluster']:<14} {job['state']:<9} "
                  f"numRestarts {job['restarts']}, RUNNING after "
                  f"{_latency(latencies['running'])}, ended after {_latency(latencies['ended'])}\n")
    nodes = ", ".join(f"{node} {count}" for node, count in report["containers_per_node"].items())
    out.write(f"  containers per node  {nodes}\n")
    memory = report["memory_utilization"]
    out.write(f"  cluster memory       peak {memory['peak']:.1%}, mean {memory['mean']:.1%}\n")


def write_expectations(report, out):
    """Print each expectation's result, and the verdict."""
    results = report["expectations"]
    out.write("\nExpectations\n")
    if not results:
        out.write("  (none)\n")
    for result in results:
        verdict = "PASS" if result["passed"] else ("FAIL (optional)" if result["optional"]
                                                   else "FAIL")
        out.write(f"  {verdict:<15} line {result['line']:<4} at {result['at']:<6} "
                  f"{result['expected']}\n")
        if not result["passed"]:
            out.write(f"  {'':<15} seen: {result['seen']}\n")
    counted = [r for r in results if not r["optional"]]
    passed = sum(r["passed"] for r in counted)
    optional_failed = sum(not r["passed"] for r in results if r["optional"])
    note = f"; {optional_failed} optional failed" if optional_failed else ""
    out.write(f"\n{passed} of {len(counted)} expectations passed{note}: "
              f"{'PASS' if report['passed'] else 'FAIL'}\n")
