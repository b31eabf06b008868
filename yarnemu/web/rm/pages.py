"""
The RM's ``/cluster`` pages, plain HTML: ``/cluster`` and ``/cluster/cluster`` (Hadoop's "About
the Cluster" page, which ``yarn-api-client`` fetches to find the active RM: any 200 will do) and
``/cluster/app/<applicationId>`` (an application's overview, where the web proxy sends a client
when an application has no tracking URL yet).  Anything else under ``/cluster`` is 404.
"""

import html
import time

from twisted.web.resource import Resource

from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationId
from yarnemu.web.rm import dao

__all__ = ["ClusterPages", "HTML_CONTENT_TYPE"]

HTML_CONTENT_TYPE = b"text/html; charset=UTF-8"


def _format_time(ms):
    # Hadoop's Times.format: "EEE MMM dd HH:mm:ss Z yyyy" (here in UTC), "N/A" for no time.
    if ms <= 0:
        return "N/A"
    return time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(ms / 1000.0))


def _page(request, status, title, rows=(), text=None):
    request.setResponseCode(status)
    request.setHeader(b"Content-Type", HTML_CONTENT_TYPE)
    parts = [f"<!DOCTYPE html>\n<html><head><title>{html.escape(title)}</title></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    if text is not None:
        parts.append(f"<p>{html.escape(text)}</p>")
    if rows:
        parts.append("<table>")
        parts.extend(f"<tr><th>{html.escape(name)}:</th><td>{html.escape(str(value))}</td></tr>"
                     for name, value in rows)
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")


class ClusterPages(Resource):
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    """

    isLeaf = True

    def __init__(self, rm):
        super().__init__()
        self._rm = rm

    def render_GET(self, request):
        path = [segment.decode("utf-8", "replace") for segment in request.postpath]
        while path and path[-1] == "":
            path.pop()
        if path in ([], ["cluster"]):
            return self._about(request)
        if len(path) == 2 and path[0] == "app":
            return self._app(request, path[1])
        return _page(request, 404, "Not Found",
                     text=f"No such page: {request.path.decode('utf-8', 'replace')}")

    def _about(self, request):
        info = dao.cluster_info(self._rm)["clusterInfo"]
        return _page(request, 200, "About the Cluster", [
            ("Cluster ID", info["id"]),
            ("ResourceManager state", info["state"]),
            ("ResourceManager HA state", info["haState"]),
            ("ResourceManager HA zookeeper connection state", info["haZooKeeperConnectionState"]),
            ("ResourceManager RMStateStore", info["rmStateStoreName"]),
            ("ResourceManager started on", _format_time(info["startedOn"])),
            ("ResourceManager version", info["resourceManagerBuildVersion"]),
            ("Hadoop version", info["hadoopBuildVersion"]),
        ])

    def _app(self, request, text):
        try:
            application_id = ApplicationId.parse(text)
        except IllegalArgumentException:
            return _page(request, 400, "Application", text=f"Invalid Application ID: {text}")
        app = self._rm.apps.get(application_id)
        if app is None:
            return _page(request, 404, "Application",
                         text=f"Application not found: {application_id}")
        info = dao.app_info(self._rm, app)
        return _page(request, 200, f"Application {application_id}", [
            ("User", info["user"]),
            ("Name", info["name"]),
            ("Application Type", info["applicationType"]),
            ("Application Tags", info["applicationTags"]),
            ("Application Priority", info["priority"]),
            ("YarnApplicationState", info["state"]),
            ("Queue", info["queue"]),
            ("FinalStatus Reported by AM", info["finalStatus"]),
            ("Started", _format_time(info["startedTime"])),
            ("Launched", _format_time(info["launchTime"])),
            ("Finished", _format_time(info["finishedTime"])),
            ("Elapsed", f"{info['elapsedTime'] / 1000.0:.0f}sec"),
            ("Tracking URL", info.get("trackingUrl", "UNASSIGNED")),
            ("Diagnostics", info["diagnostics"]),
            ("Unmanaged Application", str(info["unmanagedApplication"]).lower()),
        ])
