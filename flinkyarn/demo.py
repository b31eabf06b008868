"""
The main demo: a Flink session on the emulated YARN, in virtual time, told as a timeline.

The client deploys a session cluster (uploading a realistic flink-dist to the staging directory)
and runs two built-in programs against it, detached, one after the other: ``wordcount``
(bounded, parallelism 2) and ``streaming-window`` (unbounded, parallelism 4).  TaskManagers of
two slots are started on demand: one for WordCount, which the window job reuses once WordCount
has finished, plus one more.  Then the container of a TaskManager running the window job is
killed (``kill -9``): YARN reports exit code 137, Flink's ResourceManager asks YARN for a new
container, and the job restarts on it.  Finally the window job is cancelled, the idle
TaskManagers are released after ``resourcemanager.taskmanager-timeout`` and the session is shut
down (FINISHED/SUCCEEDED, staging directory deleted).

Run it with ``scripts/demo`` (``python -m flinkyarn.demo``); ``--help`` lists the options.
"""

import argparse
import sys
import tempfile
import time

from twisted.internet.defer import Deferred, inlineCallbacks
from twisted.internet.task import deferLater

from flinkyarn.client import SessionPipelineExecutor, run_program
from flinkyarn.flink_on_yarn import FlinkOnYarn
from flinkyarn.ids import IdGenerator
from flinkyarn.states import JobStatus
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup
from yarnemu.events import LogRecorded
from yarnemu.timeline import TimelinePrinter, format_offset

__all__ = ["run_demo", "DemoResult", "DEMO_FLINK_CONFIG", "main"]

DEMO_FLINK_CONFIG = {
    "taskmanager.numberOfTaskSlots": "2",
    "parallelism.default": "2",
    "restart-strategy.type": "fixed-delay",
    "restart-strategy.fixed-delay.attempts": "3",
    "restart-strategy.fixed-delay.delay": "5 s",
}
"""What the demo sets over the distribution's ``flink-conf.yaml``."""

TIMELINE_KINDS = frozenset({
    "app.state", "container.state", "am.registered", "am.unregistered",
    "flink.job.state", "flink.worker.requested", "flink.taskmanager.registered",
    "flink.job.restarting",
})
"""What the timeline shows: YARN's applications and containers, Flink's jobs and workers."""

_CLIENT_SOURCE = "FlinkClient"
_USER = "flink"
_DEADLINE_SECONDS = 3600
_WINDOW_JOB = "Streaming Window"
_WINDOW_SOURCE_TASK = "Source: Events -> Map"


class DemoResult:
    """
    What a demo run produced.

    :ivar flink: the :class:`~flinkyarn.flink_on_yarn.FlinkOnYarn` it ran on.
    :ivar application_id: the session's YARN application.
    :ivar dict jobs: job name → ``(JobStatus, numRestarts)``.
    :ivar killed: the TaskManager container that was killed.
    :ivar int uploaded_bytes: what the client uploaded to the staging directory.
    :ivar float wall_seconds: the run's wall-clock time.
    """

    def __init__(self, flink):
        self.flink = flink
        self.application_id = None
        self.jobs = {}
        self.killed = None
        self.uploaded_bytes = 0
        self.wall_seconds = 0.0
        self.user = _USER

    @property
    def staging_dir(self):
        """The session's staging directory on the fake HDFS."""
        home = self.flink.yarn.filesystem.home_directory(self.user)
        return f"{home}/.flink/{self.application_id}"

    @property
    def succeeded(self):
        """Whether the story went as told: see the module docstring."""
        if self.application_id is None:
            return False
        report = self.flink.application_report(self.application_id)
        wordcount = self.jobs.get("WordCount", (None, 0))
        window = self.jobs.get(_WINDOW_JOB, (None, 0))
        return ((report.yarn_application_state.value, report.final_application_status.value)
                == ("FINISHED", "SUCCEEDED")
                and wordcount[0] is JobStatus.FINISHED
                and window[0] is JobStatus.CANCELED and window[1] >= 1
                and not self.flink.yarn.filesystem.exists(self.staging_dir))


def run_demo(data_dir, nodes=3, seed=0, dist_size="realistic", out=None):
    """
    Run the demo to its end (or an hour of virtual time).

    :param out: a text stream for the timeline, or ``None`` for none.
    :return: a :class:`DemoResult`.
    :raise: what went wrong, or ``TimeoutError`` if the story did not end within an hour.
    """
    started = time.perf_counter()
    flink = FlinkOnYarn(data_dir, [NodeGroup(nodes, memory_mb=8192, vcores=8)],
                        flink_config=DEMO_FLINK_CONFIG, dist_size=dist_size, seed=seed)
    if out is not None:
        flink.events.subscribe(TimelinePrinter(out, int(DEFAULT_EPOCH * 1000),
                                               select=_shown_in_timeline))
    flink.start()
    result = DemoResult(flink)
    flink.run(_story(flink, result, seed), seconds=_DEADLINE_SECONDS)
    result.wall_seconds = time.perf_counter() - started
    return result


def _shown_in_timeline(event):
    if isinstance(event, LogRecorded):
        return event.source == _CLIENT_SOURCE and event.level in ("INFO", "WARN", "ERROR")
    return event.kind in TIMELINE_KINDS


@inlineCallbacks
def _story(flink, result, seed):
    descriptor = flink.descriptor(user=result.user)
    session = yield descriptor.deploy_session_cluster(flink.specification())
    app = result.application_id = session.application_id
    result.uploaded_bytes = descriptor.uploaded_bytes
    config = flink.config.with_values({"execution.target": "yarn-session",
                                       "execution.attached": "false"})
    executor = SessionPipelineExecutor(session, config, descriptor.log)
    ids = IdGenerator(seed)
    wordcount = yield run_program("wordcount", ["--records", "200000"], executor, config, ids)
    yield session.request_job_result(wordcount.job_id)
    window = yield run_program("streaming-window", [], executor,
                               config.with_values({"parallelism.default": "4"}), ids)
    yield _until(flink, lambda: _running(flink, app, window.job_id))
    _, task_manager = flink.task_manager_running(app, window.job_id, _WINDOW_SOURCE_TASK)
    result.killed = task_manager.container_id
    flink.kill_container(task_manager.container_id)

    yield _until(flink, lambda: _restarted_and_running(flink, app, window.job_id))
    yield _sleep(flink, 30)
    yield session.cancel(window.job_id)
    yield session.request_job_result(window.job_id)
    for job in (yield session.list_jobs()):
        metrics = yield session.get_job_metrics(job.job_id, "numRestarts")
        result.jobs[job.job_name] = (job.job_state, int(metrics.get("numRestarts", 0)))
    yield _until(flink, lambda: not flink.task_managers(app))
    yield session.shutdown_cluster()
    yield _until(flink, lambda: flink.rm.apps[app].state.is_final)


def _running(flink, app, job_id):
    rest = flink.job_manager(app).rest
    return all(vertex["tasks"]["RUNNING"] == vertex["parallelism"]
               for vertex in rest.get_job(job_id)["vertices"])


def _restarted_and_running(flink, app, job_id):
    master = flink.job_manager(app).dispatcher.request_job(job_id)
    return master.restarts >= 1 and _running(flink, app, job_id)


def _until(flink, predicate, poll_seconds=0.5):
    """:return: a Deferred firing once ``predicate()`` holds, checked every ``poll_seconds``."""
    waiting = Deferred()

    def check():
        if predicate():
            waiting.callback(None)
        else:
            flink.clock.callLater(poll_seconds, check)

    check()
    return waiting


def _sleep(flink, seconds):
    return deferLater(flink.clock, seconds, lambda: None)


def print_summary(result, out):
    """Write the demo's outcome: the session's end, its containers, its jobs, and the cost."""
    flink = result.flink
    report = flink.application_report(result.application_id)
    start_ms = int(DEFAULT_EPOCH * 1000)
    out.write("\nSummary\n")
    out.write(f"  session       {result.application_id} '{report.name}': "
              f"{report.yarn_application_state.value} / "
              f"{report.final_application_status.value}\n")
    staging = result.staging_dir
    state = "still there" if flink.yarn.filesystem.exists(staging) else "deleted"
    out.write(f"  staging       {result.uploaded_bytes:,} bytes uploaded to {staging}, {state}\n")
    for name, (status, restarts) in result.jobs.items():
        out.write(f"  job           {name}: {status.value}, numRestarts {restarts}\n")
    containers = [container for attempt in flink.rm.apps[result.application_id].attempts
                  for container in attempt.containers]
    for container in sorted(containers, key=lambda c: c.container_id):
        role = "JobManager " if container.is_am else "TaskManager"
        killed = "  (killed)" if container.container_id == result.killed else ""
        out.write(f"  {role}   {container.container_id} on {container.node_id}: "
                  f"{container.state.value}, exit status {int(container.exit_status)}{killed}\n")
    out.write(f"  events        {len(flink.events.events)} in "
              f"{format_offset(flink.events.now() - start_ms)} of virtual time, "
              f"{result.wall_seconds:.3f} s of wall time\n")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m flinkyarn.demo",
        description="Run a Flink session with two jobs on an emulated YARN cluster in virtual "
                    "time and print its timeline.")
    parser.add_argument("--nodes", type=int, default=3, help="NodeManagers (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--events", metavar="OUT.jsonl", help="write the event stream as JSON lines")
    return parser


def main(argv=None):
    """The demo command; :return: its exit status (0 when the story went as told)."""
    args = build_parser().parse_args(argv)
    if args.nodes < 1:
        build_parser().error(f"--nodes must be positive: {args.nodes}")
    out = sys.stdout
    out.write(f"flinkyarn demo: a Flink session on {args.nodes} YARN NodeManagers running "
              "WordCount and a streaming window job; a TaskManager is killed mid-job\n\n")
    with tempfile.TemporaryDirectory(prefix="flinkyarn-demo-") as data_dir:
        try:
            result = run_demo(data_dir, nodes=args.nodes, seed=args.seed, out=out)
        except Exception as error:
            out.write(f"\nThe demo did not get to its end: {type(error).__name__}: {error}\n")
            return 1
        print_summary(result, out)
        if args.events:
            with open(args.events, "w", encoding="utf-8") as stream:
                result.flink.events.write_jsonl(stream)
            out.write(f"  event log     {args.events}\n")
        return 0 if result.succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
