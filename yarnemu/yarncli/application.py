"""
``yarnemu application`` (alias ``app``): Hadoop's ``yarn application`` (``ApplicationCLI``,
Hadoop 3) over the RM REST API, with its options, output and exit statuses:

* ``-list [-appStates S1,S2|ALL] [-appTypes T1,T2] [-appTags t1,t2]``: the ``Total number of
  applications (...)`` line and the table; default states SUBMITTED, ACCEPTED, RUNNING; 0, or
  -1 with the invalid-state message;
* ``-status <Application ID>``: the ``Application Report``; 0, or -1 when the RM does not know
  the application;
* ``-kill <Application ID> [<Application ID> ...]``: ``Killing application X`` (then waits until
  the RM has killed it, as ``YarnClient.killApplication`` does) or ``Application X has already
  finished ``; -1 when none of the ids is known, else 0;
* ``-help``; anything else: the usage, with ``Invalid Command Usage :`` first when no command
  option was given.

Tracking-URL, AM Host and RPC Port come from the current attempt's report (see :func:`am_view`):
one ``/appattempts`` and one ``/appattempts/{id}`` request per application that has a tracking URL
assigned.

A malformed application id raises :class:`~yarnemu.errors.IllegalArgumentException`, an unknown
option :class:`~yarnemu.yarncli.options.UnrecognizedOptionException` (uncaught exceptions in
Hadoop's command); :mod:`yarnemu.yarncli.command` reports them.
"""

import time

from attrs import frozen

from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId
from yarnemu.records.states import YarnApplicationState
from yarnemu.yarncli import format as jfmt
from yarnemu.yarncli.base import YarnCommand
from yarnemu.yarncli.options import MissingArgumentException, Option, parse
from yarnemu.yarncli.rest import RmNotFound, RmRestError

__all__ = [
    "ApplicationCommand",
    "APPLICATION_OPTIONS",
    "APPLICATIONS_PATTERN",
    "DEFAULT_STATES",
    "application_row",
    "application_report",
    "AmView",
    "am_view",
    "parse_application_id",
]

APPLICATIONS_PATTERN = "%30s\t%20s\t%20s\t%10s\t%10s\t%18s\t%18s\t%15s\t%35s\n"

DEFAULT_STATES = (YarnApplicationState.SUBMITTED, YarnApplicationState.ACCEPTED,
                  YarnApplicationState.RUNNING)

_ALL_STATES = "ALL"
_FINAL_STATES = frozenset({"FINISHED", "KILLED", "FAILED"})
_VALID_STATES = ("The valid application state can be one of the following: "
                 + ",".join([_ALL_STATES, *YarnApplicationState]))
_NOT_SET = "<Not set>"
_DEFAULT_PARTITION = "<DEFAULT_PARTITION>"

# yarn.client.application-client-protocol.poll-interval-ms; YarnClientImpl logs every 10th poll.
_KILL_POLL_INTERVAL = 0.2
_KILL_POLLS_PER_NOTICE = 10

APPLICATION_OPTIONS = (
    Option("status", "Prints the status of the application.", "Application ID"),
    Option("list", "List applications. Supports optional use of -appTypes to filter "
                   "applications based on application type, -appStates to filter applications "
                   "based on application state and -appTags to filter applications based on "
                   "application tag."),
    Option("kill", "Kills the application. Set of applications can be provided separated "
                   "with space", "Application ID", many=True, separator=" "),
    Option("help", "Displays help for all commands."),
    Option("appTypes", "Works with -list to filter applications based on input "
                       "comma-separated list of application types.", "Types",
           many=True, separator=","),
    Option("appStates", "Works with -list to filter applications based on input "
                        "comma-separated list of application states. " + _VALID_STATES,
           "States", many=True, separator=","),
    Option("appTags", "Works with -list to filter applications based on input "
                      "comma-separated list of application tags.", "Tags",
           many=True, separator=","),
)


def parse_application_id(text):
    """
    :return: the :class:`ApplicationId` ``text`` names.
    :raise IllegalArgumentException: with ``ApplicationId.fromString``'s message.
    """
    if text.split("_", 1)[0] != "application":
        raise IllegalArgumentException(
            f"Invalid ApplicationId prefix: {text}. The valid ApplicationId should start with "
            "prefix application")
    return ApplicationId.parse(text)


@frozen
class AmView:
    """
    What an application report says of the AM: ``AM Host``, ``RPC Port`` and the original
    (unproxied) ``Tracking-URL``, ``N/A``, -1 and ``N/A`` until it registers.
    """

    host: str = "N/A"
    rpc_port: object = -1
    original_tracking_url: str = "N/A"


def _attempt_number(attempt):
    try:
        return int(attempt.get("id", 0))
    except (TypeError, ValueError):
        return 0


def _registered_address(app):
    # AppInfo's amRPCAddress: "host:port" once the AM registered both, else absent.
    address = app.get("amRPCAddress")
    if not address:
        return "N/A", -1
    host, _, port = str(address).rpartition(":")
    return host, port


def am_view(rm, app):
    """
    :param rm: the :class:`~yarnemu.yarncli.rest.RmRest` to ask.
    :param app: an RM REST app object.
    :return: the :class:`AmView` of ``app``'s current attempt, as ``ApplicationReport`` gives it.

    ``AppInfo`` has only the proxied ``trackingUrl`` and no AM host without an RPC port; the
    current attempt's report (``/appattempts/{attemptId}``, Hadoop 3) has ``host``, ``rpcPort``
    and ``originalTrackingUrl``, so it is asked for once a URL is assigned.  Before that
    (``trackingUI`` UNASSIGNED), or without an attempt, the AM is not registered.  From an RM
    that does not serve attempt reports, ``amRPCAddress`` and the proxied URL are the best known.
    """
    if "originalTrackingUrl" in app:
        return AmView(*_registered_address(app), jfmt.java_string(app["originalTrackingUrl"]))
    proxied = app.get("trackingUrl")
    if not proxied or app.get("trackingUI") == "UNASSIGNED":
        return AmView()
    try:
        attempts = rm.application_attempts(app["id"])
        if not attempts:
            return AmView()
        current = max(attempts, key=_attempt_number)
        attempt_id = current.get("appAttemptId") or str(ApplicationAttemptId(
            ApplicationId.parse(app["id"]), _attempt_number(current)))
        report = rm.application_attempt(app["id"], attempt_id)
    except (RmRestError, IllegalArgumentException):
        return AmView(*_registered_address(app), proxied)
    return AmView(jfmt.java_string(report.get("host", "N/A")), report.get("rpcPort", -1),
                  jfmt.java_string(report.get("originalTrackingUrl", "N/A")))


def application_row(app, am):
    """
    :param app: an RM REST app object.
    :param AmView am: its :func:`am_view`.
    :return: the ``-list`` table line of ``app``.
    """
    return APPLICATIONS_PATTERN % (
        jfmt.java_string(app.get("id")), jfmt.java_string(app.get("name")),
        jfmt.java_string(app.get("applicationType")), jfmt.java_string(app.get("user")),
        jfmt.java_string(app.get("queue")), jfmt.java_string(app.get("state")),
        jfmt.java_string(app.get("finalStatus")), jfmt.percent(app.get("progress") or 0),
        am.original_tracking_url,
    )


def _label_expression(value):
    # RMAppImpl: null is "<Not set>", blank the default partition.
    if value is None:
        return _NOT_SET
    if not str(value).strip():
        return _DEFAULT_PARTITION
    return str(value)


def _timeouts(app):
    listed = (app.get("timeouts") or {}).get("timeout")
    if listed is None:
        # The RM reports LIFETIME, UNLIMITED, -1 for an application without a lifetime.
        return [{"type": "LIFETIME", "expiryTime": "UNLIMITED", "remainingTimeInSeconds": -1}]
    return listed if isinstance(listed, list) else [listed]


def application_report(app, am):
    """
    :param app: an RM REST app object.
    :param AmView am: its :func:`am_view`.
    :return: the text ``-status`` prints for ``app``: ``Application Report :`` and its
        tab-indented ``Key : value`` lines, ending with an empty line.
    """
    unmanaged = bool(app.get("unmanagedApplication", False))
    am_label = None if unmanaged else _label_expression(app.get("amNodeLabelExpression"))
    fields = [
        ("Application-Id", app.get("id")),
        ("Application-Name", app.get("name")),
        ("Application-Type", app.get("applicationType")),
        ("User", app.get("user")),
        ("Queue", app.get("queue")),
        ("Application Priority", app.get("priority", 0)),
        ("Start-Time", app.get("startedTime", 0)),
        ("Finish-Time", app.get("finishedTime", 0)),
        ("Progress", jfmt.percent(app.get("progress") or 0)),
        ("State", app.get("state")),
        ("Final-State", app.get("finalStatus")),
        ("Tracking-URL", am.original_tracking_url),
        ("RPC Port", am.rpc_port),
        ("AM Host", am.host),
        ("Aggregate Resource Allocation",
         f"{app.get('memorySeconds', 0)} MB-seconds, {app.get('vcoreSeconds', 0)} vcore-seconds"),
        ("Aggregate Resource Preempted",
         f"{app.get('preemptedMemorySeconds', 0)} MB-seconds, "
         f"{app.get('preemptedVcoreSeconds', 0)} vcore-seconds"),
        ("Log Aggregation Status", app.get("logAggregationStatus") or "N/A"),
        ("Diagnostics", app.get("diagnostics", "")),
        ("Unmanaged Application", unmanaged),
        ("Application Node Label Expression", _label_expression(app.get("appNodeLabelExpression"))),
        ("AM container Node Label Expression", am_label),
    ]
    lines = ["Application Report : "]
    lines += [f"\t{key} : {jfmt.java_string(value)}" for key, value in fields]
    for timeout in _timeouts(app):
        lines.append(f"\tTimeoutType : {timeout.get('type')}"
                     f"\tExpiryTime : {timeout.get('expiryTime')}"
                     f"\tRemainingTime : {timeout.get('remainingTimeInSeconds')}seconds")
    return "\n".join(lines) + "\n\n"


class ApplicationCommand(YarnCommand):
    """
    :param rm: the :class:`~yarnemu.yarncli.rest.RmRest` to ask.
    :param out: where the command's output goes (``System.out``).
    :param err: where its complaints go (``System.err``).
    :param sleep: ``sleep(seconds)``, between the polls of a kill.
    """

    title = "application"
    options = APPLICATION_OPTIONS

    def __init__(self, rm, out, err, sleep=time.sleep):
        super().__init__(rm, out, err)
        self.sleep = sleep

    def run(self, arguments):
        """:return: the exit status ``ApplicationCLI.run`` returns for ``arguments``."""
        try:
            line = parse(APPLICATION_OPTIONS, arguments)
        except MissingArgumentException:
            self.out.write("Missing argument for options\n")
            return self._usage()
        if line.leftovers:
            return self._usage()
        if line.has("status"):
            if line.has_any_other("status", "appTypes"):
                return self._usage()
            return self.status(line.value("status"))
        if line.has("list"):
            return self.list(line.all_values("appStates"), line.all_values("appTypes"),
                             line.all_values("appTags"))
        if line.has("kill"):
            if line.has_any_other("kill"):
                return self._usage()
            return self.kill(line.all_values("kill"))
        return self._without_command(line)

    def list(self, states=(), types=(), tags=()):
        """``-list``: :return: 0, or -1 for a state that is not a YarnApplicationState."""
        chosen_types = [t.upper().strip() for t in types if t.strip()]
        chosen_states = []
        every_state = False
        for state in states:
            if not state.strip():
                continue
            if state.strip().upper() == _ALL_STATES:
                every_state = True
                break
            try:
                chosen_states.append(YarnApplicationState(state.upper().strip()))
            except ValueError:
                self.out.write(f"The application state {state} is invalid.\n{_VALID_STATES}\n")
                return -1
        chosen_tags = [t.strip() for t in tags if t.strip()]
        if every_state:
            chosen_states = list(YarnApplicationState)
        elif not chosen_states:
            chosen_states = list(DEFAULT_STATES)
        ordered_states = [s for s in YarnApplicationState if s in chosen_states]
        apps = self.rm.applications(ordered_states, jfmt.java_hash_set_order(chosen_types),
                                    jfmt.java_hash_set_order(chosen_tags))
        self.out.write(
            f"Total number of applications (application-types: {jfmt.java_set(chosen_types)}, "
            f"states: {jfmt.enum_set(chosen_states, YarnApplicationState)} and tags: "
            f"{jfmt.java_set(chosen_tags)}):{len(apps)}\n")
        self.out.write(APPLICATIONS_PATTERN % (
            "Application-Id", "Application-Name", "Application-Type", "User", "Queue", "State",
            "Final-State", "Progress", "Tracking-URL"))
        for app in apps:
            self.out.write(application_row(app, am_view(self.rm, app)))
        return 0

    def status(self, text):
        """``-status``: :return: 0, or -1 when the RM does not know the application."""
        application_id = parse_application_id(text)
        try:
            app = self.rm.application(application_id)
        except RmNotFound:
            self.out.write(f"Application with id '{text}' doesn't exist in RM or Timeline "
                           "Server.\n")
            return -1
        self.out.write(application_report(app, am_view(self.rm, app)))
        return 0

    def kill(self, texts):
        """``-kill``: :return: 0 when at least one id named an application, else -1."""
        status = -1
        for text in texts:
            try:
                self._kill_one(text)
            except RmNotFound:
                continue
            status = 0
        return status

    def _kill_one(self, text):
        application_id = parse_application_id(text)
        try:
            app = self.rm.application(application_id)
        except RmNotFound:
            self.out.write(f"Application with id '{text}' doesn't exist in RM.\n")
            raise
        if app.get("state") in _FINAL_STATES:
            self.out.write(f"Application {text} has already finished \n")
            return
        self.out.write(f"Killing application {text}\n")
        self.out.flush()
        polls = 0
        while not self.rm.kill_application(application_id):
            polls += 1
            if polls % _KILL_POLLS_PER_NOTICE == 0:
                self.err.write(f"Waiting for application {application_id} to be killed.\n")
            self.sleep(_KILL_POLL_INTERVAL)
