"""
:class:`ClusterWebUI`: the ResourceManager's web UI, server-rendered HTML on the RM web address:

- ``/``: the cluster's metrics, its nodes and its applications (newest first; each linked to its
  page, and through the web proxy to its ApplicationMaster while it runs);
- ``/app/<applicationId>``: the application's overview, the panels its framework adds
  (:class:`~yarnemu.web.ui.panels.IApplicationPanels`: a Flink cluster's jobs and TaskManagers),
  then its attempts and their containers.

Pages reload themselves every few seconds (``<meta http-equiv="refresh">``) and need no
JavaScript.  The figures are the RM REST API's (:class:`~yarnemu.web.rm.services.RMWebServices`):
what the UI shows, ``/ws/v1/cluster`` answers.

Answers: 200 with the page; an application id that does not parse is 400 ``Invalid Application
ID: <text>``, an unknown one 404 ``Application not found: <id>`` (the words of Hadoop's
application page), any other path under ``/app`` 404 — each as a page of the UI.  A page with
panels from :class:`IApplicationPanels` is answered when they are (``NOT_DONE_YET``); a panel
that fails or takes longer than ``panel_timeout`` seconds of cluster time is shown as a note.
"""

from twisted.internet.defer import Deferred, DeferredList, TimeoutError, succeed
from twisted.logger import Logger
from twisted.python.failure import Failure
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationId
from yarnemu.web.proxy import HTML_CONTENT_TYPE, finish_rendering
from yarnemu.web.rm.services import RMWebServices, WebCall
from yarnemu.web.ui import views
from yarnemu.web.ui.formats import format_time
from yarnemu.web.ui.markup import render_page
from yarnemu.web.ui.panels import Panel, Text

__all__ = ["ClusterWebUI", "DEFAULT_REFRESH_SECONDS", "DEFAULT_PANEL_TIMEOUT"]

DEFAULT_REFRESH_SECONDS = 5
"""How often a page reloads itself, in (real) seconds."""

DEFAULT_PANEL_TIMEOUT = 10.0
"""How long a page waits for an application's panels, in seconds of cluster time."""

_NOT_AVAILABLE = "Not available"


class ClusterWebUI:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    :param application_panels: an :class:`~yarnemu.web.ui.panels.IApplicationPanels` provider,
        or ``None`` for none.
    :param refresh_seconds: how often pages reload themselves (``None`` or 0: never).
    :param float panel_timeout: how long to wait for panels (cluster seconds, on the RM's clock).

    :ivar overview: the resource of ``/``.
    :ivar application_pages: the resource of ``/app``.
    """

    log = Logger()

    def __init__(self, rm, application_panels=None, refresh_seconds=DEFAULT_REFRESH_SECONDS,
                 panel_timeout=DEFAULT_PANEL_TIMEOUT):
        self.rm = rm
        self.application_panels = application_panels
        self.refresh_seconds = refresh_seconds
        self.panel_timeout = panel_timeout
        # Only the reading operations are used: no programs are needed for submissions.
        self.services = RMWebServices(rm, programs=None)
        self.overview = _OverviewPage(self)
        self.application_pages = _ApplicationPages(self)

    def mount(self, root):
        """
        Serve the UI from ``root`` (the RM web address's root resource): ``/`` and ``/app``.

        :return: ``root``.
        """
        root.putChild(b"", self.overview)
        root.putChild(b"app", self.application_pages)
        return root

    # Used by the pages

    def page(self, request, status, title, panels):
        """Set the status and type of ``request``; :return: the page's bytes."""
        request.setResponseCode(status)
        request.setHeader(b"Content-Type", HTML_CONTENT_TYPE)
        request.setHeader(b"Cache-Control", b"no-cache")
        rm = self.rm
        refresh = (f"refreshes every {self.refresh_seconds} s · " if self.refresh_seconds
                   else "")
        footer = (f"yarnemu {rm.version} · ResourceManager started on "
                  f"{format_time(rm.cluster_timestamp)} · shown at {format_time(rm.now())} "
                  "(times in UTC) · "
                  f"{refresh}REST API at /ws/v1/cluster")
        return render_page(title, panels, self.refresh_seconds, footer)

    def ask(self, method_name, report):
        """
        Ask the application panels' ``method_name`` about ``report``.

        :return: ``None`` if they have nothing for it, else a Deferred (failing with
            ``TimeoutError`` after :attr:`panel_timeout`).
        """
        if self.application_panels is None:
            return None
        try:
            answer = getattr(self.application_panels, method_name)(report)
        except Exception:  # noqa: BLE001 - a broken panel must not break the page
            failure = Failure()
            self.log.failure("Web UI: {method} of {app} failed", failure, method=method_name,
                             app=str(report.application_id))
            answer = None
        if answer is None:
            return None
        if not isinstance(answer, Deferred):
            answer = succeed(answer)
        return answer.addTimeout(self.panel_timeout, self.rm.clock)

    def answer_later(self, request, deferred, render):
        """
        Answer ``request`` with ``render(result)`` once ``deferred`` fires (nothing if the
        client has gone by then).

        :return: ``NOT_DONE_YET``.
        """
        gone = []
        request.notifyFinish().addErrback(lambda _: gone.append(True))

        def done(result):
            if not gone:
                finish_rendering(request, render(result))

        def failed(failure):
            self.log.failure("Web UI: rendering {path} failed", failure,
                             path=request.path.decode("utf-8", "replace"))
            if not gone and not request.finished:
                finish_rendering(request, self.page(request, 500, "Internal Server Error", [
                    Panel("Error", [Text(failure.getErrorMessage())])]))

        deferred.addCallback(done).addErrback(failed)
        return NOT_DONE_YET

    def describe_failure(self, failure, what):
        """
        :return: the note shown for panels that could not be had.  It is logged as a warning
            without a traceback: an ApplicationMaster that is gone or slow is no bug, and pages
            refresh every few seconds.
        """
        if failure.check(TimeoutError):
            note = f"{what}: no answer within {self.panel_timeout:g} s"
        else:
            note = f"{what}: {failure.getErrorMessage() or failure.type.__name__}"
        self.log.warn("Web UI: {note}", note=note)
        return note


class _OverviewPage(Resource):
    """``/``: cluster metrics, nodes, applications."""

    isLeaf = True

    def __init__(self, ui):
        super().__init__()
        self._ui = ui

    def render_GET(self, request):
        ui = self._ui
        if any(request.postpath):
            return _not_found(ui, request)
        call = WebCall()
        services = ui.services
        metrics = services.cluster_metrics(call).body["clusterMetrics"]
        nodes = _listed(services.nodes(call).body, "nodes", "node")
        apps = _listed(services.apps(call).body, "apps", "app")
        pending = []
        client = ui.rm.client_service
        for app in apps:
            asked = ui.ask("summary", client.get_application_report(
                ApplicationId.parse(app["id"])))
            if asked is not None:
                pending.append((app["id"], asked))

        def render(summaries):
            return ui.page(request, 200, "Cluster Overview", [
                views.cluster_metrics_panel(metrics),
                views.applications_panel(apps, summaries),
                views.nodes_panel(nodes),
            ])

        if not pending:
            return render({})

        def summarised(results):
            summaries = {}
            for (app_id, _), (succeeded, value) in zip(pending, results):
                if succeeded:
                    summaries[app_id] = value
                else:
                    summaries[app_id] = ui.describe_failure(value, _NOT_AVAILABLE)
            return render(summaries)

        answers = DeferredList([asked for _, asked in pending], consumeErrors=True)
        return ui.answer_later(request, answers, summarised)


class _ApplicationPages(Resource):
    """``/app/<applicationId>``: one application's overview, panels, attempts, containers."""

    isLeaf = True

    def __init__(self, ui):
        super().__init__()
        self._ui = ui

    def render_GET(self, request):
        ui = self._ui
        path = [segment.decode("utf-8", "replace") for segment in request.postpath]
        while path and path[-1] == "":
            path.pop()
        if len(path) != 1:
            return _not_found(ui, request)
        (text,) = path
        try:
            application_id = ApplicationId.parse(text)
        except IllegalArgumentException:
            return ui.page(request, 400, "Application", [
                Panel("Bad Request", [Text(f"Invalid Application ID: {text}")])])
        if application_id not in ui.rm.apps:
            return ui.page(request, 404, "Application", [
                Panel("Not Found", [Text(f"Application not found: {application_id}")])])
        overview, yarn_panels = _yarn_panels(ui, str(application_id))
        title = f"Application {application_id}"
        report = ui.rm.client_service.get_application_report(application_id)
        asked = ui.ask("panels", report)
        if asked is None:
            return ui.page(request, 200, title, [overview, *yarn_panels])

        def render(extra):
            return ui.page(request, 200, title, [overview, *(extra or ()), *yarn_panels])

        def failed(failure):
            return [Panel("Application Master", [Text(ui.describe_failure(
                failure, "The application master's views are not available"))])]

        return ui.answer_later(request, asked.addErrback(failed), render)


def _yarn_panels(ui, app_id):
    services = ui.services
    call = WebCall()
    app = services.app(call, app_id).body["app"]
    listed = _listed(services.app_attempts(call, app_id).body, "appAttempts", "appAttempt")
    attempts = []
    containers = []
    for attempt in listed:
        attempt_id = attempt["appAttemptId"]
        report = services.app_attempt(call, app_id, attempt_id).body["appAttempt"]
        attempts.append((attempt, report))
        containers.append((attempt_id, _listed(
            services.containers(call, app_id, attempt_id).body, "containers", "container")))
    return views.application_overview_panel(app), [views.attempts_panel(attempts),
                                                   views.containers_panel(containers)]


def _listed(body, outer, inner):
    """The items of a REST list, ``{outer: {inner: [...]}}`` or ``{outer: None}``."""
    return (body[outer] or {}).get(inner, [])


def _not_found(ui, request):
    path = request.path.decode("utf-8", "replace")
    return ui.page(request, 404, "Not Found", [Panel("Not Found", [Text(f"No such page: {path}")])])
