"""
The Flink panels of the RM web UI (:class:`~yarnemu.web.ui.IApplicationPanels`): for a running
Flink cluster on YARN, what its JobManager's REST API says — the cluster's overview, its jobs
with their vertices (parallelism and state), and its TaskManagers with their slots — read in
process from the endpoint at the application's tracking URL, as Flink's web dashboard reads it
(``/overview``, ``/jobs/overview``, ``/jobs/{jobid}``, ``/taskmanagers``).

    ui = ClusterWebUI(cluster.rm, application_panels=flink_application_panels(cluster.network))

An application is taken for a Flink cluster while it is RUNNING and either its type is Flink's
(``Apache Flink``) or a Flink REST endpoint listens at its tracking URL.  A JobManager that
cannot be reached (gone, or not answering) makes the page show a note instead of the panels.
"""

from urllib.parse import urlsplit

from twisted.internet.defer import FirstError, gatherResults
from zope.interface import implementer

from flinkyarn.rest.transport import InProcessRestTransport
from flinkyarn.runtime.gateways import IRestEndpoint
from flinkyarn.yarn.constants import APPLICATION_TYPE
from yarnemu.records.states import YarnApplicationState
from yarnemu.web.ui import IApplicationPanels, Link, Panel, State, Table, Text, Time
from yarnemu.web.ui.formats import format_bytes, format_elapsed

__all__ = ["FlinkApplicationPanels", "flink_application_panels"]

_NO_TIME = -1


def flink_application_panels(network):
    """
    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`, where JobManagers
        serve their REST endpoints.
    :return: the :class:`FlinkApplicationPanels` for the web UI.
    """
    return FlinkApplicationPanels(network)


@implementer(IApplicationPanels)
class FlinkApplicationPanels:
    """
    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    """

    def __init__(self, network):
        self._network = network

    def summary(self, report):
        """``2 jobs running · 2 TaskManagers · 1 of 4 slots free``, from ``/overview``."""
        transport = self._transport(report)
        if transport is None:
            return None
        return transport.call("get_overview").addCallback(_summary)

    def panels(self, report):
        """The cluster's overview, its jobs and vertices, its TaskManagers."""
        transport = self._transport(report)
        if transport is None:
            return None
        application_id = report.application_id
        answers = gatherResults([transport.call("get_overview"),
                                 transport.call("get_jobs_overview"),
                                 transport.call("get_taskmanagers")], consumeErrors=True)

        def with_job_details(results):
            overview, jobs, managers = results
            listed = sorted(jobs["jobs"], key=lambda job: (-job["start-time"], job["jid"]))
            details = gatherResults([transport.call("get_job", job["jid"]) for job in listed],
                                    consumeErrors=True)
            return details.addCallback(lambda infos: [
                _cluster_panel(application_id, transport, overview),
                _jobs_panel(application_id, listed, infos),
                _task_managers_panel(managers["taskmanagers"]),
            ])

        return answers.addCallback(with_job_details).addErrback(_first_error)

    def _transport(self, report):
        """:return: the transport to the application's JobManager, or ``None`` if it is not a
        running Flink cluster."""
        if report.yarn_application_state is not YarnApplicationState.RUNNING:
            return None
        address = _address(report.original_tracking_url)
        if address is None:
            return None
        host, port = address
        served = self._network.lookup(host, port)
        is_flink = (report.application_type or "").strip().lower() == APPLICATION_TYPE.lower()
        if not is_flink and not IRestEndpoint.providedBy(served):
            return None
        return InProcessRestTransport(self._network, host, port)


def _address(url):
    """:return: ``(host, port)`` of a tracking URL, or ``None`` without one."""
    if not url or url.strip() in ("", "N/A"):
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, port if port is not None else 80


def _first_error(failure):
    """``gatherResults`` wraps the first failure: unwrap it."""
    if failure.check(FirstError):
        return failure.value.subFailure
    return failure


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary(overview):
    return (f"{_plural(overview['jobs-running'], 'job')} running · "
            f"{_plural(overview['taskmanagers'], 'TaskManager')} · "
            f"{overview['slots-available']} of {overview['slots-total']} slots free")


def _proxied(application_id, path):
    return f"/proxy/{application_id}{path}"


def _cluster_panel(application_id, transport, overview):
    fields = (
        ("Flink Version", f"{overview['flink-version']} (commit {overview['flink-commit']})"),
        ("JobManager REST", f"{transport.host}:{transport.port}"),
        ("REST API through the RM proxy", Link(_proxied(application_id, "/overview"),
                                               _proxied(application_id, "/overview"))),
        ("TaskManagers", overview["taskmanagers"]),
        ("Task Slots", overview["slots-total"]),
        ("Available Task Slots", overview["slots-available"]),
        ("Running Jobs", overview["jobs-running"]),
        ("Finished Jobs", overview["jobs-finished"]),
        ("Cancelled Jobs", overview["jobs-cancelled"]),
        ("Failed Jobs", overview["jobs-failed"]),
    )
    return Panel("Flink Cluster", anchor="flink-cluster", blocks=[
        Table([name for name, _ in fields], [[value for _, value in fields]], layout="fields")])


def _task_counts(counts):
    """``4 RUNNING, 2 FINISHED``: the non-zero counts of a tasks-by-state mapping."""
    shown = [f"{count} {state.upper()}" for state, count in counts.items()
             if count and state != "total"]
    return ", ".join(shown) or "0"


def _flink_time(ms):
    """Flink's dashboard shows ``-`` for a time not reached (-1)."""
    return Time(ms, none="-")


def _jobs_panel(application_id, jobs, infos):
    rows = [(
        Link(job["jid"], _proxied(application_id, f"/jobs/{job['jid']}")), job["name"],
        _flink_time(job["start-time"]), format_elapsed(job["duration"]),
        _flink_time(job["end-time"]), _task_counts(job["tasks"]), State(job["state"]),
    ) for job in jobs]
    blocks = [Table(("Job ID", "Job Name", "Start Time", "Duration", "End Time", "Tasks",
                     "Status"), rows, empty="No jobs")]
    for info in infos:
        vertices = [(
            vertex["name"], vertex["parallelism"], vertex["maxParallelism"],
            State(vertex["status"]), _task_counts(vertex["tasks"]),
            _flink_time(vertex["start-time"]),
            format_elapsed(vertex["duration"]) if vertex["duration"] >= 0 else "-",
            vertex["metrics"]["write-records"],
        ) for vertex in info["vertices"]]
        blocks.append(Table(
            ("Vertex", "Parallelism", "Max Parallelism", "Status", "Tasks", "Start Time",
             "Duration", "Records Sent"),
            vertices, caption=f"{info['name']} ({info['jid']}): {info['state']}",
            empty="No vertices yet"))
    return Panel("Flink Jobs", anchor="flink-jobs", blocks=blocks)


def _task_managers_panel(managers):
    rows = [(
        manager["id"], manager["path"], manager["dataPort"],
        _flink_time(manager["timeSinceLastHeartbeat"]), manager["slotsNumber"],
        manager["freeSlots"], manager["hardware"]["cpuCores"],
        format_bytes(manager["hardware"]["physicalMemory"]),
        format_bytes(manager["hardware"]["managedMemory"]),
    ) for manager in sorted(managers, key=lambda manager: manager["id"])]
    return Panel("Flink TaskManagers", anchor="flink-taskmanagers", blocks=[
        Table(("TaskManager ID", "Path", "Data Port", "Last Heartbeat", "All Slots", "Free Slots",
               "CPU Cores", "Physical Memory", "Managed Memory"),
              rows, empty="No TaskManagers registered"),
        Text(f"{sum(m['freeSlots'] for m in managers)} of "
             f"{sum(m['slotsNumber'] for m in managers)} slots free"),
    ])
