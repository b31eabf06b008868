"""
``POST /ws/v1/cluster/apps``: the REST submission JSON (Hadoop's
``ApplicationSubmissionContextInfo``) as an :class:`ApplicationSubmissionContext`, checked as
Hadoop's ``RMWebAppUtil#createAppSubmissionContext`` checks it, plus yarnemu's allow-list.

The JSON, with Hadoop's defaults for what is left out::

    {"application-id": "application_…",            # required: else 400 "Could not parse …"
     "application-name": "",  "queue": "default",  "priority": -1,
     "am-container-spec": {
        "local-resources": {"entry": [{"key": "app.jar", "value": {
            "resource": "hdfs://host:port/path" | "hdfs:///path",
            "type": "FILE", "visibility": "APPLICATION", "size": 0, "timestamp": 0,
            "pattern": null}}]},
        "environment": {"entry": [{"key": "K", "value": "V"}]},
        "commands": {"command": "one line" | ["line", …]},
        "service-data": {"entry": [{"key": "svc", "value": "<URL-safe base64>"}]},
        "credentials": {"tokens": {"entry": […]}, "secrets": {"entry": […]}},
        "application-acls": {"entry": [{"key": "VIEW_APP" | "MODIFY_APP", "value": "…"}]}},
     "unmanaged-AM": false, "max-app-attempts": 0, "resource": {"memory": 0, "vCores": 0},
     "application-type": "", "keep-containers-across-application-attempts": false,
     "application-tags": {"tag": ["a", "b"]} | {"tag": "a"} | ["a", "b"],
     "attempt-failures-validity-interval": -1, "app-node-label-expression": ""}

As Jersey's JSON reading does, an ``entry`` (or ``tag``, ``command``) holding one object instead
of a list is read as a list of one, and unknown fields are ignored.  Credentials are kept as the
opaque token bytes of the launch context (the JSON of the ``tokens`` and ``secrets`` maps).
``log-aggregation-context``, ``reservation-id`` and ``am-black-listing-requests`` are accepted and
ignored (yarnemu aggregates no logs and has no reservations).

Checks, each a 400 before anything is submitted: the application id must parse; ``resource``
may not ask for more vcores, then more memory, than ``yarn.scheduler.maximum-allocation-*``
("Requested more cores than configured max"); at most 10 tags of at most 100 printable ASCII
characters (``IllegalArgumentException``, as the record's setter); and — yarnemu's own rule — a
managed AM's command must name an allow-listed program (:func:`check_allowed_program`).
"""

import base64
import binascii
import json
from urllib.parse import urlsplit

from yarnemu.errors import IllegalArgumentException
from yarnemu.nodemanager.command import CommandError, CommandNotFoundError, parse_command
from yarnemu.records.client_protocol import DEFAULT_QUEUE, ApplicationSubmissionContext
from yarnemu.records.containers import URL, ContainerLaunchContext, LocalResource
from yarnemu.records.ids import ApplicationId
from yarnemu.records.resource import Resource
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility
from yarnemu.web.rm.errors import UnreadableEntityException, bad_request

__all__ = [
    "submission_context",
    "check_allowed_program",
    "submitting_user",
    "read_json_object",
    "UNDEFINED_PRIORITY",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
]

UNDEFINED_PRIORITY = -1
"""Hadoop's ``Priority.UNDEFINED``: the priority of a submission that names none."""

MAX_TAGS = 10
MAX_TAG_LENGTH = 100
_ACCESS_TYPES = ("VIEW_APP", "MODIFY_APP")
# Where <LOG_DIR> points while the command is read for the check (the NodeManager picks the real
# directory when it launches the container).
_LOG_DIR = "/yarnemu/container-logs"


def read_json_object(body):
    """
    :param bytes body: a request body.
    :return: the JSON object it holds, as a ``dict``.
    :raise UnreadableEntityException: if it is not a JSON object (400).
    """
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UnreadableEntityException(
            f"javax.xml.bind.UnmarshalException: the request body is not valid JSON: {error}"
        ) from None
    if not isinstance(value, dict):
        raise UnreadableEntityException(
            "javax.xml.bind.UnmarshalException: the request body must be a JSON object, not "
            f"{type(value).__name__}"
        )
    return value


def submission_context(value, maximum_allocation):
    """
    :param dict value: the submission JSON.
    :param Resource maximum_allocation: ``yarn.scheduler.maximum-allocation-mb`` / ``-vcores``.
    :return: the :class:`ApplicationSubmissionContext`.
    :raise BadRequestException: for an id that does not parse, a resource above the maximum, or
        a field of the wrong type.
    :raise IllegalArgumentException: for tags Hadoop's record refuses.
    """
    text = value.get("application-id", "")
    try:
        application_id = ApplicationId.parse(text if isinstance(text, str) else "")
    except IllegalArgumentException:
        raise bad_request(f"Could not parse application id {_java_string(text)}") from None
    resource = _resource(_object(value, "resource"))
    if resource.vcores > maximum_allocation.vcores:
        raise bad_request("Requested more cores than configured max")
    if resource.memory > maximum_allocation.memory:
        raise bad_request("Requested more memory than configured max")
    queue = _string(value, "queue", None)
    label = _string(value, "app-node-label-expression", "")
    return ApplicationSubmissionContext(
        application_id=application_id,
        am_container_spec=_launch_context(_object(value, "am-container-spec")),
        application_name=_string(value, "application-name", ""),
        queue=queue if queue else DEFAULT_QUEUE,
        priority=_integer(value, "priority", UNDEFINED_PRIORITY),
        resource=resource,
        application_type=_string(value, "application-type", ""),
        application_tags=_tags(value.get("application-tags")),
        max_app_attempts=_integer(value, "max-app-attempts", 0),
        keep_containers_across_application_attempts=_boolean(
            value, "keep-containers-across-application-attempts", False),
        attempt_failures_validity_interval=_integer(
            value, "attempt-failures-validity-interval", -1),
        unmanaged_am=_boolean(value, "unmanaged-AM", False),
        node_label_expression=label or None,
    )


def submitting_user(caller, context):
    """
    :param caller: the ``user.name`` of the request, or ``None``.
    :return: who submits: the caller, else the AM environment's ``HADOOP_USER_NAME``, else
        ``None`` (the static user).
    """
    if caller:
        return caller
    return context.am_container_spec.environment.get("HADOOP_USER_NAME") or None


def check_allowed_program(context, programs):
    """
    Refuse a managed AM whose command names no program of ``programs`` (an unmanaged AM runs no
    container, so it has nothing to check).

    :param programs: the cluster's :class:`~yarnemu.nodemanager.programs.ProgramRegistry`.
    :raise BadRequestException: naming the program and the allowed ones.
    """
    if context.unmanaged_am:
        return
    allowed = f"Allowed programs: [{', '.join(programs.names())}]"
    spec = context.am_container_spec
    if not spec.commands:
        raise bad_request(f"The AM container spec has no command; a REST submission must run an "
                          f"allow-listed program. {allowed}")
    try:
        parse_command(spec.commands, dict(spec.environment), _LOG_DIR, programs.__contains__)
    except CommandNotFoundError as error:
        raise bad_request(f"The AM command names program '{error.name}', which is not "
                          f"allow-listed. {allowed}") from None
    except CommandError as error:
        raise bad_request(f"The AM command cannot be run: {error}. {allowed}") from None


# The launch context


def _launch_context(value):
    resources = {}
    for key, item in _entries(value.get("local-resources"), "local-resources"):
        resources[key] = _local_resource(key, item)
    environment = {key: _text(item, f"environment {key}")
                   for key, item in _entries(value.get("environment"), "environment")}
    service_data = {key: _base64(_text(item, f"service-data {key}"), f"service-data {key}")
                    for key, item in _entries(value.get("service-data"), "service-data")}
    acls = {}
    for key, item in _entries(value.get("application-acls"), "application-acls"):
        if key not in _ACCESS_TYPES:
            raise bad_request(f"Invalid application-acls key {key}: it should be one of "
                              f"[{', '.join(_ACCESS_TYPES)}]")
        acls[key] = _text(item, f"application-acls {key}")
    return ContainerLaunchContext(
        local_resources=resources,
        environment=environment,
        commands=_commands(value.get("commands")),
        service_data=service_data,
        tokens=_credentials(value.get("credentials")),
        application_acls=acls,
    )


def _local_resource(key, value):
    if not isinstance(value, dict):
        raise bad_request(f"local resource {key}: the value must be an object")
    location = value.get("resource")
    if not isinstance(location, str) or not location:
        raise bad_request(f"local resource {key}: the resource URL is missing")
    return LocalResource(
        resource=_url(location, key),
        size=_integer(value, "size", 0),
        timestamp=_integer(value, "timestamp", 0),
        type=_enum(value, "type", LocalResourceType, LocalResourceType.FILE),
        visibility=_enum(value, "visibility", LocalResourceVisibility,
                         LocalResourceVisibility.APPLICATION),
        pattern=_string(value, "pattern", None),
    )


def _url(text, key):
    """As Hadoop's ``URL.fromURI``: scheme, user info, host, port (-1 if none) and path."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise bad_request(f"local resource {key}: the resource URL {text} is malformed") from None
    if not parts.scheme:
        raise bad_request(f"local resource {key}: the resource URL {text} has no scheme")
    return URL(
        scheme=parts.scheme,
        file=parts.path,
        host=parts.hostname or "",
        port=port if port is not None else -1,
        user_info=parts.username or "",
    )


def _commands(value):
    if value is None:
        return ()
    if isinstance(value, dict):
        value = value.get("command")
    return tuple(_text(item, "commands") for item in _list(value))


def _credentials(value):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("credentials must be an object")
    tokens = dict(_entries(value.get("tokens"), "credentials tokens"))
    secrets = dict(_entries(value.get("secrets"), "credentials secrets"))
    if not tokens and not secrets:
        return None
    return json.dumps({"tokens": tokens, "secrets": secrets}, sort_keys=True).encode("utf-8")


def _tags(value):
    if isinstance(value, dict):
        value = value.get("tag")
    tags = {_text(tag, "application-tags").strip().lower() for tag in _list(value)}
    tags.discard("")
    if len(tags) > MAX_TAGS:
        raise IllegalArgumentException(
            f"Too many applicationTags, a maximum of only {MAX_TAGS} are allowed!"
        )
    for tag in sorted(tags):
        if len(tag) > MAX_TAG_LENGTH:
            raise IllegalArgumentException(
                f"Tag {tag} is too long, maximum allowed length of a tag is {MAX_TAG_LENGTH}"
            )
        if not all(" " <= char <= "~" for char in tag):
            raise IllegalArgumentException(
                f"A tag can only have ASCII characters! Invalid tag - {tag}"
            )
    return tags


# JSON values


def _entries(value, what):
    """``{"entry": [{"key": k, "value": v}, …]}`` (or one entry, or a plain map) as pairs."""
    if value is None:
        return []
    if not isinstance(value, dict):
        raise bad_request(f"{what} must be an object")
    if "entry" not in value:
        return [(str(key), item) for key, item in value.items()]
    pairs = []
    for entry in _list(value["entry"]):
        if not isinstance(entry, dict) or "key" not in entry:
            raise bad_request(f"{what}: each entry needs a key and a value")
        pairs.append((_text(entry["key"], what), entry.get("value")))
    return pairs


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _object(value, name):
    item = value.get(name)
    if item is None:
        return {}
    if not isinstance(item, dict):
        raise bad_request(f"{name} must be an object")
    return item


def _text(value, what):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    raise bad_request(f"{what} must be a string")


def _string(value, name, default):
    item = value.get(name)
    return default if item is None else _text(item, name)


def _integer(value, name, default):
    item = value.get(name)
    if item is None:
        return default
    if isinstance(item, bool):
        raise bad_request(f"{name} must be a number, not {json.dumps(item)}")
    if isinstance(item, int):
        return item
    if isinstance(item, float) and item.is_integer():
        return int(item)
    if isinstance(item, str):
        try:
            return int(item.strip())
        except ValueError:
            pass
    raise bad_request(f"{name} must be a number, not {json.dumps(item)}")


def _boolean(value, name, default):
    item = value.get(name)
    if item is None:
        return default
    if isinstance(item, bool):
        return item
    if isinstance(item, str) and item.strip().lower() in ("true", "false"):
        return item.strip().lower() == "true"
    raise bad_request(f"{name} must be true or false, not {json.dumps(item)}")


def _enum(value, name, enum, default):
    item = value.get(name)
    if item is None:
        return default
    try:
        return enum(_text(item, name))
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise bad_request(f"{name} {item} is not one of [{allowed}]") from None


def _resource(value):
    return Resource(_integer(value, "memory", 0), _integer(value, "vCores", 0))


def _base64(text, what):
    # Apache Commons' URL-safe Base64, which also reads the standard alphabet.
    cleaned = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise bad_request(f"{what} is not base64") from None


def _java_string(value):
    return "null" if value is None else str(value)
