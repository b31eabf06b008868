"""
Checking expectations against a running (or finished) scenario: :func:`check` → an
:class:`Outcome` saying whether it held, what was expected and — always — what was seen, so a
failure reads "expected FINISHED; seen RUNNING".

What each check reads, as a Flink-on-YARN user would look:

- ``app``: the RM's application report (``yarn application -status``) and its attempts;
- ``taskmanagers``: the JobManager's ``/taskmanagers`` (none when no JobManager runs);
- ``containers``: the RM's RUNNING containers of the application;
- ``job``/``jobs``: the jobs' latest states and ``numRestarts``, from the event stream (so they
  outlive the JobManager that ran them); a job's ``slots`` from the JobManager's
  ``/taskmanagers/<id>`` (none when no JobManager runs);
- ``staging``: the fake HDFS;
- ``metrics``: the RM's cluster metrics (``/ws/v1/cluster/metrics``);
- ``log-contains``: the log lines of the cluster's processes and client (or of everything).
"""

from attrs import frozen

from flinkyarn.scenario.model import (
    JOBMANAGER,
    AppCheck,
    ContainersCheck,
    JobCheck,
    JobsCheck,
    LogCheck,
    MetricsCheck,
    StagingCheck,
    TaskManagersCheck,
)
from flinkyarn.scenario.reader import METRIC_ALIASES
from yarnemu.events import LogRecorded
from yarnemu.records.states import RMContainerState

__all__ = ["Outcome", "check", "describe"]


@frozen
class Outcome:
    passed: bool
    expected: str
    seen: str


class _NoApplication(Exception):
    """The deployment a check names has no YARN application (yet): why, for a person."""


def check(expectation_check, run):
    """
    :param run: the :class:`~flinkyarn.scenario.runner.ScenarioRun` to look at.
    :return: the :class:`Outcome` of one expectation's check.

    Each ``_check_…`` function returns ``(passed, seen)``; what was expected is
    :func:`describe`'s.
    """
    expected = describe(expectation_check)
    try:
        passed, seen = _CHECKS[type(expectation_check)](expectation_check, run)
    except _NoApplication as missing:
        return Outcome(False, expected, str(missing))
    return Outcome(passed, expected, seen)


def _application(run, name):
    """:return: the ``ApplicationId`` of deployment ``name``; :raise _NoApplication: if none."""
    application_id = run.application_id(name)
    if application_id is None:
        raise _NoApplication(run.why_no_application(name))
    return application_id


def describe(expectation_check):
    """:return: what ``expectation_check`` expects, for a person."""
    return _DESCRIBE[type(expectation_check)](expectation_check)


# app


_APP_FIELDS = (("state", "state"), ("final_status", "final-status"), ("queue", "queue"),
               ("priority", "priority"), ("tags", "tags"), ("type", "type"), ("user", "user"),
               ("diagnostics", "diagnostics"), ("attempts", "attempts"))


def _describe_app(app):
    parts = []
    for attribute, key in _APP_FIELDS:
        value = getattr(app, attribute)
        if value is None:
            continue
        if attribute == "diagnostics":
            parts.append(f"diagnostics containing {value!r}")
        elif attribute == "tags":
            parts.append(f"tags {', '.join(value) or '(none)'}")
        else:
            parts.append(f"{key} {value}")
    return f"app {app.app}: " + (", ".join(parts) if parts else "exists")


def _app_seen(report, attempts):
    return {
        "state": report.yarn_application_state.value,
        "final_status": report.final_application_status.value,
        "queue": report.queue,
        "priority": report.priority,
        "tags": tuple(report.application_tags),
        "type": report.application_type,
        "user": report.user,
        "diagnostics": report.diagnostics,
        "attempts": attempts,
    }


def _check_app(app, run):
    application_id = _application(run, app.app)
    report = run.flink.application_report(application_id)
    seen = _app_seen(report, len(run.flink.rm.apps[application_id].attempts))
    wrong = []
    for attribute, key in _APP_FIELDS:
        want = getattr(app, attribute)
        if want is None:
            continue
        value = seen[attribute]
        if attribute == "diagnostics":
            ok = want in value
        elif attribute == "tags":
            ok = sorted(want) == sorted(value)
        elif attribute in ("priority", "attempts"):
            ok = want.holds(value)
        else:
            ok = want == value
        if not ok:
            shown = ", ".join(value) if attribute == "tags" else value
            wrong.append(f"{key} {shown!r}" if attribute == "diagnostics" else f"{key} {shown}")
    if wrong:
        return False, f"{application_id}: " + ", ".join(wrong)
    summary = (f"{application_id}: {seen['state']}/{seen['final_status']} in queue "
               f"{seen['queue']}")
    return True, summary


# taskmanagers


def _describe_task_managers(check_):
    parts = [f"count {check_.count}" if check_.count is not None else "",
             f"{check_.slots_each} slots each" if check_.slots_each is not None else ""]
    return f"taskmanagers of {check_.cluster}: " + ", ".join(p for p in parts if p)


def _check_task_managers(check_, run):
    application_id = _application(run, check_.cluster)
    try:
        job_manager = run.flink.job_manager(application_id)
    except LookupError:
        views = []
    else:
        views = job_manager.rest.get_taskmanagers()["taskmanagers"]
    slots = [view["slotsNumber"] for view in views]
    seen = f"{len(views)} TaskManager(s)" + (f" with {', '.join(map(str, slots))} slots"
                                             if slots else "")
    passed = ((check_.count is None or check_.count.holds(len(views)))
              and (check_.slots_each is None or all(check_.slots_each.holds(s) for s in slots)))
    return passed, seen


# containers


def _describe_containers(check_):
    role = f"{check_.role} " if check_.role else ""
    parts = [f"count {check_.count}" if check_.count is not None else "",
             f"memory-mb {check_.memory_mb}" if check_.memory_mb is not None else "",
             f"vcores {check_.vcores}" if check_.vcores is not None else ""]
    return f"running {role}containers of {check_.app}: " + ", ".join(p for p in parts if p)


def _check_containers(check_, run):
    application_id = _application(run, check_.app)
    containers = []
    for attempt in run.flink.rm.apps[application_id].attempts:
        for container in attempt.containers:
            if container.state is not RMContainerState.RUNNING:
                continue
            if check_.role is not None and (container.is_am != (check_.role == JOBMANAGER)):
                continue
            containers.append(container)
    sizes = [f"<memory:{c.resource.memory}, vCores:{c.resource.vcores}>" for c in containers]
    seen = f"{len(containers)} running" + (f": {', '.join(sizes)}" if sizes else "")
    passed = ((check_.count is None or check_.count.holds(len(containers)))
              and (check_.memory_mb is None
                   or all(check_.memory_mb.holds(c.resource.memory) for c in containers))
              and (check_.vcores is None
                   or all(check_.vcores.holds(c.resource.vcores) for c in containers)))
    return passed, seen


# job and jobs


def _describe_job(check_):
    parts = [f"state {check_.state}" if check_.state else "",
             f"restarts {check_.restarts}" if check_.restarts is not None else "",
             f"slots {check_.slots}" if check_.slots is not None else ""]
    return f"job {check_.name} of {check_.cluster}: " + (", ".join(p for p in parts if p)
                                                          or "exists")


def _check_job(check_, run):
    application_id = _application(run, check_.cluster)
    jobs = run.records.find_jobs(application_id, check_.name)
    if not jobs:
        names = ", ".join(job.label or job.name for job in run.records.jobs_of(application_id))
        return False, f"no job {check_.name} (jobs: {names or 'none'})"
    job = jobs[-1]
    seen = f"{job.state.value}, numRestarts {job.restarts}"
    passed = ((check_.state is None or job.state.value == check_.state)
              and (check_.restarts is None or check_.restarts.holds(job.restarts)))
    if check_.slots is not None:
        slots = _slots_of(run, application_id, job.job_id)
        seen += f", {slots} slot(s)"
        passed = passed and check_.slots.holds(slots)
    return passed, seen


def _slots_of(run, application_id, job_id):
    """The slots the JobManager's ``/taskmanagers/<id>`` list allocated to ``job_id``."""
    try:
        rest = run.flink.job_manager(application_id).rest
    except LookupError:
        return 0
    if rest is None:
        return 0
    return sum(1 for view in rest.get_taskmanagers()["taskmanagers"]
               for slot in rest.get_taskmanager(view["id"])["allocatedSlots"]
               if slot["jobId"] == job_id)


def _describe_jobs(check_):
    state = f" {check_.state}" if check_.state else ""
    return f"jobs of {check_.cluster}: count{state} {check_.count}"


def _check_jobs(check_, run):
    application_id = _application(run, check_.cluster)
    jobs = run.records.jobs_of(application_id)
    counted = [job for job in jobs if check_.state is None or job.state.value == check_.state]
    seen = f"{len(counted)}" + (f" (all: {', '.join(f'{j.name} {j.state.value}' for j in jobs)})"
                                if jobs else " (no jobs)")
    return check_.count.holds(len(counted)), seen


# staging


def _describe_staging(check_):
    return f"staging directory of {check_.app} {'exists' if check_.exists else 'is gone'}"


def _check_staging(check_, run):
    application_id = _application(run, check_.app)
    path = run.staging_dir(check_.app, application_id)
    exists = run.flink.yarn.filesystem.exists(path)
    return exists == check_.exists, f"{path} {'exists' if exists else 'does not exist'}"


# metrics


def _describe_metrics(check_):
    return "cluster metrics: " + ", ".join(f"{name} {value}" for name, value in check_.values)


def _check_metrics(check_, run):
    snapshot = run.flink.rm.metrics.snapshot()
    seen, passed = [], True
    for name, comparison in check_.values:
        value = snapshot[METRIC_ALIASES.get(name, name)]
        seen.append(f"{name} {value}")
        passed = passed and comparison.holds(value)
    return passed, ", ".join(seen)


# log-contains


def _describe_log(check_):
    where = f" of {check_.cluster}" if check_.cluster else ""
    return f"a log line{where} containing {check_.text!r}"


def _check_log(check_, run):
    marker = None
    if check_.cluster is not None:
        application_id = _application(run, check_.cluster)
        marker = f"{application_id.cluster_timestamp}_{application_id.id:04d}"
    lines = 0
    for event in run.flink.events.events:
        if type(event) is not LogRecorded:
            continue
        if marker is not None and marker not in event.subject_id:
            continue
        lines += 1
        if check_.text in event.message:
            return True, f"{event.source}: {event.message}"
    return False, f"no such line among {lines} log line(s)"


_CHECKS = {
    AppCheck: _check_app, TaskManagersCheck: _check_task_managers,
    ContainersCheck: _check_containers, JobCheck: _check_job, JobsCheck: _check_jobs,
    StagingCheck: _check_staging, MetricsCheck: _check_metrics, LogCheck: _check_log,
}
_DESCRIBE = {
    AppCheck: _describe_app, TaskManagersCheck: _describe_task_managers,
    ContainersCheck: _describe_containers, JobCheck: _describe_job, JobsCheck: _describe_jobs,
    StagingCheck: _describe_staging, MetricsCheck: _describe_metrics, LogCheck: _describe_log,
}
