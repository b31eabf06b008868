"""
The query parameters of ``/ws/v1/cluster/apps``, ``/appstatistics`` and ``/nodes``, read and
checked as Hadoop 3.3 reads them (``ApplicationsRequestBuilder``, ``WebServices#parseQueries``,
``RMWebServices#getNodes``), with its messages.

``/apps``:

- ``state`` (deprecated) and ``states`` (repeatable, each comma-separated, trimmed,
  case-insensitive) name :class:`YarnApplicationState` values; an unknown one is 400
  ``Invalid application-state X specified. It should be one of [NEW, …]``;
- ``finalStatus`` is kept as given: Hadoop checks it per application (``FinalApplicationStatus
  .valueOf``, case-sensitive) and compares it case-insensitively;
- ``user``, ``queue`` and ``name`` are matched exactly (an empty ``user`` or ``queue`` is no
  filter; an empty ``name`` matches applications named ``""``);
- ``limit`` must be a number above 0; ``startedTimeBegin/End`` and ``finishedTimeBegin/End``
  must be numbers, not negative, begin not after end (begin defaults to 0, end to no end);
- ``applicationTypes`` and ``applicationTags`` (repeatable, comma-separated) are lower-cased;
- ``deSelects`` (repeatable, comma-separated) is kept for the per-application check of
  :func:`parse_deselects`.

Of several values of a single-valued parameter the first counts, as in JAX-RS.
"""

import re

from attrs import frozen

from yarnemu.records.states import NodeState, YarnApplicationState
from yarnemu.web.rm.errors import bad_request, no_enum_constant

__all__ = [
    "AppsQuery",
    "parse_apps_query",
    "parse_application_states",
    "parse_lower_case_list",
    "parse_node_states",
    "parse_deselects",
    "DESELECT_FIELDS",
]

DESELECT_FIELDS = ("resourceRequests", "timeouts", "appNodeLabelExpression",
                   "amNodeLabelExpression", "resourceInfo")
"""What ``deSelects`` may name (Hadoop's ``DeSelectFields.DeSelectType`` literals)."""

_LONG = re.compile(r"[+-]?[0-9]+\Z")


@frozen
class AppsQuery:
    """
    A checked ``/apps`` query.  Bounds are inclusive; ``None`` as an end means no end.

    :ivar states: :class:`YarnApplicationState` values to keep, or ``None`` for all.
    :ivar str final_status: the ``finalStatus`` text, or ``None``.
    :ivar users: user names to keep, or ``None``.
    :ivar str queue: the queue to look in, or ``None``.
    :ivar limit: the most applications to list, or ``None``.
    """

    states: frozenset | None = None
    final_status: str | None = None
    users: frozenset | None = None
    queue: str | None = None
    limit: int | None = None
    started_begin: int = 0
    started_end: int | None = None
    finished_begin: int = 0
    finished_end: int | None = None
    application_types: frozenset = frozenset()
    application_tags: frozenset = frozenset()
    name: str | None = None
    deselects: tuple = ()

    def finished_within(self, finish_time):
        """``True`` if ``finish_time`` (0 while running) is within the finished range."""
        end = self.finished_end
        return self.finished_begin <= finish_time and (end is None or finish_time <= end)


def _first(args, name):
    values = args.get(name)
    return values[0] if values else None


def _nonempty(value):
    return value if value else None


def _parse_long(text, name):
    if text is None or text == "":
        return None
    if not _LONG.match(text):
        raise bad_request(f"{name} value must be a number!")
    return int(text)


def parse_lower_case_list(values):
    """
    :param values: the parameter's values, each comma-separated.
    :return: the trimmed, lower-cased, non-empty items (``WebServices#parseQueries``).
    """
    items = set()
    for value in values or ():
        for item in value.split(","):
            item = item.strip()
            if item:
                items.add(item.lower())
    return frozenset(items)


def parse_application_states(values):
    """
    :return: the :class:`YarnApplicationState` values named (case-insensitively), or ``None``
        when none is named.
    :raise BadRequestException: for a name that is not a state.
    """
    states = set()
    for value in values or ():
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                states.add(YarnApplicationState(item.upper()))
            except ValueError:
                allowed = ", ".join(state.value for state in YarnApplicationState)
                raise bad_request(f"Invalid application-state {item} specified. It should be one "
                                  f"of [{allowed}]") from None
    return frozenset(states) or None


def parse_apps_query(args, check_queue):
    """
    :param args: parameter name → list of values (``str``).
    :param check_queue: called with the ``queue`` value, if any, at the point Hadoop checks that
        the queue exists; raises to refuse it.
    :return: an :class:`AppsQuery`.
    :raise BadRequestException: for a value Hadoop refuses, checked in Hadoop's order.
    """
    started_begin = _parse_long(_first(args, "startedTimeBegin"), "startedTimeBegin")
    started_end = _parse_long(_first(args, "startedTimeEnd"), "startedTimeEnd")
    finished_begin = _parse_long(_first(args, "finishedTimeBegin"), "finishedTimeBegin")
    finished_end = _parse_long(_first(args, "finishedTimeEnd"), "finishedTimeEnd")
    queue = _nonempty(_first(args, "queue"))
    if queue is not None:
        check_queue(queue)
    limit = _parse_long(_nonempty(_first(args, "limit")), "limit")
    if limit is not None and limit <= 0:
        raise bad_request("limit value must be greater then 0")
    started_begin = 0 if started_begin is None else started_begin
    finished_begin = 0 if finished_begin is None else finished_begin
    _check_range(started_begin, started_end, "startedTimeBegin", "startedTimeEnd",
                 "startTimeBegin")
    _check_range(finished_begin, finished_end, "finishTimeBegin", "finishTimeEnd",
                 "finishTimeBegin")
    state = _nonempty(_first(args, "state"))
    states = parse_application_states(([state] if state else []) + list(args.get("states", ())))
    user = _nonempty(_first(args, "user"))
    return AppsQuery(
        states=states,
        final_status=_nonempty(_first(args, "finalStatus")),
        users=frozenset([user]) if user else None,
        queue=queue,
        limit=limit,
        started_begin=started_begin,
        started_end=started_end,
        finished_begin=finished_begin,
        finished_end=finished_end,
        application_types=parse_lower_case_list(args.get("applicationTypes")),
        application_tags=parse_lower_case_list(args.get("applicationTags")),
        name=_first(args, "name"),
        deselects=tuple(args.get("deSelects", ())),
    )


def _check_range(begin, end, begin_name, end_name, begin_word):
    if begin < 0:
        raise bad_request(f"{begin_name} must be greater than 0")
    if end is not None and end < 0:
        raise bad_request(f"{end_name} must be greater than 0")
    if end is not None and begin > end:
        raise bad_request(f"{end_name} must be greater than {begin_word}")


def parse_deselects(values):
    """
    :return: the ``deSelects`` fields named (matched case-insensitively), as their literals.
    :raise BadRequestException: for a name that is not one of :data:`DESELECT_FIELDS`.
    """
    fields = set()
    by_lower = {name.lower(): name for name in DESELECT_FIELDS}
    for value in values or ():
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            field = by_lower.get(item.lower())
            if field is None:
                raise bad_request(f"Invalid deSelects string {item} specified. It should be one "
                                  f"of [{', '.join(DESELECT_FIELDS)}]")
            fields.add(field)
    return frozenset(fields)


def parse_node_states(args):
    """
    :return: the :class:`NodeState` values of the ``states`` parameter (comma-separated,
        case-insensitive, not trimmed, split as Java splits), or ``None`` for all states.
    :raise IllegalArgumentException: for a name that is not a node state (400), as Java's
        ``NodeState.valueOf``.
    """
    text = _first(args, "states")
    if text is None:
        return None
    states = set()
    for item in _java_split(text):
        try:
            states.add(NodeState(item.upper()))
        except ValueError:
            raise no_enum_constant("NodeState", item.upper()) from None
    return frozenset(states)


def _java_split(text):
    # Java's String#split: trailing empty items are dropped, but "" splits into [""].
    if text == "":
        return [""]
    items = text.split(",")
    while items and items[-1] == "":
        items.pop()
    return items
