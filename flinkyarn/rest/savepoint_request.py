"""
``POST /jobs/{jobid}/stop`` on the wire, both sides: Flink's ``StopWithSavepointRequestBody``,
``{"targetDirectory": <string>, "drain": <boolean>, "formatType": "CANONICAL"|"NATIVE",
"triggerId": <32 hex digits>}``, every field optional (``drain`` false, the others ``null``).

Read as Flink's handlers read a JSON body: an empty body is ``{}``; anything that is not such an
object — not JSON, another JSON value, an unknown field, a field of the wrong type, an unknown
format type, a trigger id that is not 32 hexadecimal digits — is a 400 ``Request did not match
expected format StopWithSavepointRequestBody.``.  Strict: no coercion of ``"true"`` to a boolean.
"""

import json
import re

from flinkyarn.runtime.gateways import RestHandlerException

__all__ = ["STOP_WITH_SAVEPOINT_BODY", "read_stop_with_savepoint", "FORMAT_TYPES",
           "TRIGGER_ID"]

#: ``SavepointFormatType``.
FORMAT_TYPES = ("CANONICAL", "NATIVE")

_JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
_BAD_FORMAT = "Request did not match expected format StopWithSavepointRequestBody."
#: ``TriggerId.fromHexString``: 32 hexadecimal digits.
TRIGGER_ID = re.compile(r"[0-9a-fA-F]{32}")
_FIELDS = ("targetDirectory", "drain", "formatType", "triggerId")


def read_stop_with_savepoint(body):
    """
    :param bytes body: the request body.
    :return: ``(target directory or None, drain, format type or None, trigger id or None)``.
    :raise RestHandlerException: 400, as the module says.
    """
    try:
        value = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError):
        raise RestHandlerException(400, _BAD_FORMAT) from None
    if not isinstance(value, dict) or set(value) - set(_FIELDS):
        raise RestHandlerException(400, _BAD_FORMAT)
    target = value.get("targetDirectory")
    drain = value.get("drain")
    format_type = value.get("formatType")
    trigger_id = value.get("triggerId")
    if (not isinstance(target, (str, type(None))) or not isinstance(drain, (bool, type(None)))
            or format_type not in (None, *FORMAT_TYPES)
            or not (trigger_id is None or (isinstance(trigger_id, str)
                                           and TRIGGER_ID.fullmatch(trigger_id)))):
        raise RestHandlerException(400, _BAD_FORMAT)
    return target, bool(drain), format_type, trigger_id


class _StopWithSavepointBody:
    """The body codec of ``POST /jobs/{jobid}/stop`` for :mod:`flinkyarn.rest.routes`."""

    @staticmethod
    def read(content_type, body):
        return read_stop_with_savepoint(body)

    @staticmethod
    def write(target_directory=None, drain=False, format_type=None, trigger_id=None):
        """What ``RestClusterClient.stopWithSavepoint`` sends."""
        request = {"targetDirectory": target_directory, "drain": bool(drain)}
        if format_type is not None:
            request["formatType"] = format_type
        if trigger_id is not None:
            request["triggerId"] = trigger_id
        return _JSON_CONTENT_TYPE, json.dumps(request).encode("utf-8")


#: ``POST /jobs/{jobid}/stop``'s body codec.
STOP_WITH_SAVEPOINT_BODY = _StopWithSavepointBody()
