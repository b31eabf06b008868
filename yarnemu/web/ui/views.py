"""
The YARN views of the web UI as :class:`~yarnemu.web.ui.panels.Panel` values, built from the
JSON the RM REST API answers (:class:`~yarnemu.web.rm.services.RMWebServices`), so that the UI
and the REST API show the same figures: the cluster's metrics, its nodes and applications, and
one application's overview, attempts and containers.  Column and field names are Hadoop's RM
web UI's where it has them; used and total resources share a column (``2 GB / 8 GB``).
"""

from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.web.ui.formats import format_elapsed, format_mb, format_percent
from yarnemu.web.ui.panels import Link, Panel, Progress, State, Table, Time

__all__ = [
    "cluster_metrics_panel",
    "nodes_panel",
    "applications_panel",
    "application_overview_panel",
    "attempts_panel",
    "containers_panel",
    "application_path",
    "proxy_path",
    "tracking_cell",
    "allocated_text",
    "NOT_HELD",
]

NOT_HELD = "N/A"
"""Shown for what a finished application no longer holds (the REST API's -1)."""

_RUNNING = "RUNNING"


def application_path(application_id):
    """:return: the UI's page of an application."""
    return f"/app/{application_id}"


def proxy_path(application_id):
    """:return: the application's tracking URL through the RM web proxy, as a path."""
    return f"/proxy/{application_id}/"


def cluster_metrics_panel(metrics):
    """:param metrics: ``ClusterMetricsInfo`` (``/ws/v1/cluster/metrics``'s ``clusterMetrics``)."""
    m = metrics
    return Panel("Cluster Metrics", anchor="cluster-metrics", blocks=[
        Table(("Apps Submitted", "Apps Pending", "Apps Running", "Apps Completed", "Apps Failed",
               "Apps Killed"),
              [(m["appsSubmitted"], m["appsPending"], m["appsRunning"], m["appsCompleted"],
                m["appsFailed"], m["appsKilled"])], caption="Applications"),
        Table(("Containers Running", "Containers Pending", "Memory Used", "Memory Pending",
               "Memory Total", "VCores Used", "VCores Pending", "VCores Total"),
              [(m["containersAllocated"], m["containersPending"], format_mb(m["allocatedMB"]),
                format_mb(m["pendingMB"]), format_mb(m["totalMB"]), m["allocatedVirtualCores"],
                m["pendingVirtualCores"], m["totalVirtualCores"])], caption="Resources"),
        Table(("Total Nodes", "Active Nodes", "Decommissioning Nodes", "Decommissioned Nodes",
               "Lost Nodes", "Unhealthy Nodes", "Rebooted Nodes", "Shutdown Nodes"),
              [(m["totalNodes"], m["activeNodes"], m["decommissioningNodes"],
                m["decommissionedNodes"], m["lostNodes"], m["unhealthyNodes"], m["rebootedNodes"],
                m["shutdownNodes"])], caption="Cluster Nodes Metrics"),
    ])


def nodes_panel(nodes):
    """:param nodes: ``NodeInfo`` values (``/ws/v1/cluster/nodes``), in the REST API's order."""
    rows = []
    for node in nodes:
        total = node["totalResource"]
        rows.append((
            node["id"], node["rack"], State(node["state"]), node["nodeHTTPAddress"] or NOT_HELD,
            Time(node["lastHealthUpdate"]), node["healthReport"], node["numContainers"],
            f"{format_mb(node['usedMemoryMB'])} / {format_mb(total['memory'])}",
            f"{node['usedVirtualCores']} / {total['vCores']}", node["version"],
        ))
    return Panel("Nodes", anchor="nodes", blocks=[Table(
        ("Node Address", "Rack", "Node State", "Node HTTP Address", "Last health-update",
         "Health-report", "Containers", "Memory Used / Total", "VCores Used / Total", "Version"),
        rows, empty="No NodeManagers")])


def tracking_cell(app):
    """``ApplicationMaster`` linked through the web proxy while the application runs, else the
    tracking UI's name (``UNASSIGNED``, ``History``)."""
    if app["state"] == _RUNNING and app.get("trackingUrl"):
        return Link("ApplicationMaster", proxy_path(app["id"]))
    return app["trackingUI"]


def applications_panel(apps, summaries=None):
    """
    :param apps: ``AppInfo`` values (``/ws/v1/cluster/apps``); shown newest first.
    :param summaries: application id → a short text about it (from the application panels),
        shown on a line below its row, after its type.
    """
    summaries = summaries or {}
    rows = []
    notes = []
    for app in reversed(list(apps)):
        rows.append((
            Link(app["id"], application_path(app["id"])), app["user"], app["name"],
            app["applicationType"], app["queue"], Time(app["startedTime"]),
            Time(app["finishedTime"]), State(app["state"]), State(app["finalStatus"]),
            format_elapsed(app["elapsedTime"]), allocated_text(app), Progress(app["progress"]),
            tracking_cell(app),
        ))
        summary = summaries.get(app["id"])
        notes.append(f"{app['applicationType']}: {summary}" if summary else None)
    return Panel("Applications", anchor="applications", blocks=[Table(
        ("ID", "User", "Name", "Application Type", "Queue", "StartTime", "FinishTime", "State",
         "FinalStatus", "Elapsed", "Allocated", "Progress", "Tracking UI"),
        rows, notes=notes, empty="No applications")])


def allocated_text(app):
    """``6 containers, 6 vcores, 12 GB``: what a running application holds (``N/A`` once it
    no longer holds anything)."""
    if app["runningContainers"] == -1:
        return NOT_HELD
    return (f"{app['runningContainers']} containers, {app['allocatedVCores']} vcores, "
            f"{format_mb(app['allocatedMB'])}")


def application_overview_panel(app):
    """:param app: the application's ``AppInfo``."""
    tracking = tracking_cell(app)
    if not isinstance(tracking, Link) and app.get("trackingUrl"):
        tracking = f"{tracking}: {app['trackingUrl']}"
    fields = (
        ("User", app["user"]),
        ("Name", app["name"]),
        ("Application Type", app["applicationType"]),
        ("Application Tags", app["applicationTags"]),
        ("Application Priority", app["priority"]),
        ("YarnApplicationState", State(app["state"])),
        ("Queue", app["queue"]),
        ("FinalStatus Reported by AM", State(app["finalStatus"])),
        ("Started", Time(app["startedTime"])),
        ("Launched", Time(app["launchTime"])),
        ("Finished", Time(app["finishedTime"])),
        ("Elapsed", format_elapsed(app["elapsedTime"])),
        ("Progress", Progress(app["progress"])),
        ("Tracking URL", tracking),
        ("Allocated Resources", allocated_text(app)),
        ("Aggregate Resource Allocation",
         f"{app['memorySeconds']} MB-seconds, {app['vcoreSeconds']} vcore-seconds"),
        ("% of Queue", format_percent(app["queueUsagePercentage"])),
        ("% of Cluster", format_percent(app["clusterUsagePercentage"])),
        ("Diagnostics", app["diagnostics"]),
        ("Unmanaged Application", app["unmanagedApplication"]),
    )
    return Panel("Application Overview", anchor="overview", blocks=[
        Table([name for name, _ in fields], [[value for _, value in fields]], layout="fields")])


def attempts_panel(attempts):
    """
    :param attempts: ``(AppAttemptInfo, attempt report info)`` of each attempt, oldest first
        (``/appattempts`` and ``/appattempts/{id}``).
    """
    rows = []
    for listed, report in attempts:
        rows.append((
            listed["appAttemptId"], Time(listed["startTime"]),
            Time(listed["finishedTime"]), State(report["appAttemptState"]),
            listed["nodeId"] or NOT_HELD, listed["containerId"] or NOT_HELD,
            report["diagnosticsInfo"],
        ))
    return Panel("Application Attempts", anchor="attempts", blocks=[Table(
        ("Attempt ID", "Started", "Finished", "State", "Node", "AM Container", "Diagnostics"),
        rows, empty="No attempts yet")])


def _exit_status(status):
    try:
        return f"{status} ({ContainerExitStatus(status).name})"
    except ValueError:
        return str(status)


def containers_panel(containers_by_attempt):
    """
    :param containers_by_attempt: ``(attempt id, ContainerInfo values)`` of each attempt, oldest
        first.
    """
    tables = []
    for attempt_id, containers in containers_by_attempt:
        rows = [(
            container["containerId"], container["assignedNodeId"],
            f"<memory:{container['allocatedMB']}, vCores:{container['allocatedVCores']}>",
            container["priority"], State(container["containerState"]),
            _exit_status(container["containerExitStatus"]), Time(container["startedTime"]),
            Time(container["finishedTime"]), format_elapsed(container["elapsedTime"]),
            container["diagnosticsInfo"],
        ) for container in containers]
        tables.append(Table(
            ("Container ID", "Node", "Resource", "Priority", "State", "Exit Status", "Started",
             "Finished", "Elapsed", "Diagnostics"),
            rows, caption=f"Containers of {attempt_id}", empty=f"No containers of {attempt_id}"))
    return Panel("Containers", anchor="containers", blocks=tables)
