"""
:class:`RestYarnClient`: Hadoop's ``YarnClient`` over the ResourceManager's REST API
(``/ws/v1/cluster``), acting as one user — the remote counterpart of
:class:`~yarnemu.client.yarn_client.InProcessYarnClient`, with the same records and errors.

- ``create_application``: ``POST /apps/new-application`` (200);
- ``submit_application``: ``POST /apps`` with the submission JSON (202);
- ``get_application_report``: ``GET /apps/{id}``;
- ``get_applications``: ``GET /apps?states=&applicationTypes=&applicationTags=``;
- ``kill_application``: ``PUT /apps/{id}/state`` ``{"state": "KILLED"}`` (200 or 202);
- ``get_node_reports``: ``GET /nodes?states=``;
- ``get_queue_info``, ``get_all_queues``: ``GET /scheduler`` (the queue tree), then ``GET /apps``
  of the unfinished applications (what each queue holds);
- ``get_yarn_cluster_metrics``: ``GET /metrics``.

Filters left empty filter nothing, as in Hadoop's ``YarnClient`` (an empty ``states`` list is all
states).  Every request carries ``user.name`` (the pseudo authentication of an insecure cluster).
An error answer's ``RemoteException`` becomes the matching :mod:`yarnemu.errors` value (see
:func:`~yarnemu.client.remote_exception.error_from_response`); a 404 under ``/apps/{id}`` is an
:class:`~yarnemu.errors.ApplicationNotFoundException`, and an unknown queue a
:class:`~yarnemu.errors.QueueNotFoundException` (``Unknown queue: <name>``), as the in-process
client raises them.  A connection failure propagates as the HTTP client reports it.
"""

import json
from urllib.parse import quote, urlencode

from twisted.internet.defer import inlineCallbacks
from zope.interface import implementer

from yarnemu.client.remote_exception import YARN_ERRORS, MalformedResponse, error_from_response
from yarnemu.client.rest_records import (
    UNFINISHED_STATES,
    application_report_from_json,
    application_reports_from_json,
    cluster_metrics_from_json,
    find_queue,
    new_application_from_json,
    node_reports_from_json,
    queue_infos_from_json,
    submission_context_json,
)
from yarnemu.errors import ApplicationNotFoundException, QueueNotFoundException
from yarnemu.interfaces import IYarnClient

__all__ = ["RestYarnClient", "CLUSTER_PATH"]

CLUSTER_PATH = "/ws/v1/cluster"

_JSON = "application/json"


@implementer(IYarnClient)
class RestYarnClient:
    """
    :param http: an :class:`~yarnemu.client.http.IHttpClient`.
    :param str rm_url: the RM's web address, ``http://<host>:8088``.
    :param str user: the user the client acts as.
    """

    def __init__(self, http, rm_url, user):
        self._http = http
        self._base = rm_url.rstrip("/") + CLUSTER_PATH
        self.user = user

    @inlineCallbacks
    def create_application(self):
        body = yield self._call("POST", "/apps/new-application")
        return new_application_from_json(body)

    @inlineCallbacks
    def submit_application(self, context):
        yield self._call("POST", "/apps", body=submission_context_json(context), expect=(202,))
        return context.application_id

    @inlineCallbacks
    def get_application_report(self, application_id):
        body = yield self._call("GET", _app_path(application_id),
                                not_found=ApplicationNotFoundException)
        return application_report_from_json(body)

    @inlineCallbacks
    def get_applications(self, states=None, application_types=None, tags=None):
        body = yield self._call("GET", "/apps", query=[
            ("states", _joined(states)),
            ("applicationTypes", _joined(application_types)),
            ("applicationTags", _joined(tags)),
        ])
        return application_reports_from_json(body)

    @inlineCallbacks
    def kill_application(self, application_id):
        """
        :return: a Deferred firing with whether the application was already in a final state
            (200), ``False`` while the kill is in progress (202).
        """
        response = yield self._send("PUT", _app_path(application_id) + "/state",
                                    body={"state": "KILLED"}, expect=(200, 202),
                                    not_found=ApplicationNotFoundException)
        return response.status == 200

    @inlineCallbacks
    def get_node_reports(self, states=None):
        body = yield self._call("GET", "/nodes", query=[("states", _joined(states))])
        return node_reports_from_json(body)

    @inlineCallbacks
    def get_queue_info(self, queue_name):
        infos = yield self.get_all_queues()
        info = find_queue(infos, queue_name)
        if info is None:
            raise QueueNotFoundException(f"Unknown queue: {queue_name}")
        return info

    @inlineCallbacks
    def get_all_queues(self):
        scheduler = yield self._call("GET", "/scheduler")
        apps = yield self._call("GET", "/apps", query=[("states", _joined(UNFINISHED_STATES))])
        return queue_infos_from_json(scheduler, apps)

    @inlineCallbacks
    def get_yarn_cluster_metrics(self):
        body = yield self._call("GET", "/metrics")
        return cluster_metrics_from_json(body)

    # Internals

    @inlineCallbacks
    def _call(self, method, path, query=(), body=None, expect=(200,), not_found=None):
        """:return: a Deferred firing with the JSON body of the answer."""
        response = yield self._send(method, path, query, body, expect, not_found)
        try:
            return response.json()
        except ValueError as error:
            raise MalformedResponse(f"{method} {path}: the answer is not JSON: {error}") from None

    @inlineCallbacks
    def _send(self, method, path, query=(), body=None, expect=(200,), not_found=None):
        """
        :return: a Deferred firing with the :class:`HttpResponse` if its status is in
            ``expect``, else failing with the error it stands for.
        """
        parameters = [(name, value) for name, value in query if value is not None]
        parameters.append(("user.name", self.user))
        url = f"{self._base}{path}?{urlencode(parameters)}"
        headers = {"Accept": _JSON}
        data = None
        if body is not None:
            headers["Content-Type"] = _JSON
            data = json.dumps(body).encode("utf-8")
        response = yield self._http.request(method, url, data, headers)
        if response.status not in expect:
            raise error_from_response(response, YARN_ERRORS, not_found)
        return response


def _app_path(application_id):
    return "/apps/" + quote(str(application_id), safe="")


def _joined(values):
    """Comma-joined values for a query parameter; ``None`` (left out) for none."""
    if not values:
        return None
    return ",".join(str(value) for value in values)
