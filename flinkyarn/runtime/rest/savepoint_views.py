"""
The REST API's views of savepoint operations, in the shapes of Flink's REST API: the
``AsynchronousOperationResult<SavepointInfo>`` of ``GET /jobs/{jobid}/savepoints/{triggerid}``
and the ``SerializedThrowable`` of a failure.
"""

import base64

from flinkyarn.runtime.dispatcher.operation_cache import FAILURE, IN_PROGRESS

__all__ = ["savepoint_status", "serialized_throwable", "stringified_exception"]


def savepoint_status(result):
    """
    :param result: the Dispatcher's
        :class:`~flinkyarn.runtime.dispatcher.operation_cache.OperationResult`.
    :return: ``{"status": {"id": "IN_PROGRESS"}}``, or ``COMPLETED`` with the ``operation``:
        ``{"location": <savepoint path>}`` or ``{"failure-cause": <SerializedThrowable>}``
        (Flink leaves the absent one out).
    """
    if result.status == IN_PROGRESS:
        return {"status": {"id": "IN_PROGRESS"}}
    if result.status == FAILURE:
        operation = {"failure-cause": serialized_throwable(result.error)}
    else:
        operation = {"location": result.value}
    return {"status": {"id": "COMPLETED"}, "operation": operation}


def serialized_throwable(error):
    """
    A ``SerializedThrowable`` as ``SerializedThrowableSerializer`` writes it: ``class`` (the
    original exception's Java class), ``stack-trace`` (as Java prints it: ``<class>: <message>``
    and a ``Caused by:`` line per cause) and ``serialized-throwable``, the serialized exception
    in base64 — here the UTF-8 of the stack trace, as there is no Java object to serialize.
    """
    trace = stringified_exception(error)
    return {
        "class": _java_class(error),
        "stack-trace": trace,
        "serialized-throwable": base64.b64encode(trace.encode("utf-8")).decode("ascii"),
    }


def stringified_exception(error):
    """``ExceptionUtils.stringifyException``, without stack frames: the exception and causes."""
    lines = [_line(error)]
    cause = error.__cause__
    while cause is not None:
        lines.append(f"Caused by: {_line(cause)}")
        cause = cause.__cause__
    return "\n".join(lines)


def _java_class(error):
    return getattr(error, "java_class", None) or f"java.lang.{type(error).__name__}"


def _line(error):
    message = getattr(error, "message", None) or str(error)
    return f"{_java_class(error)}: {message}" if message else _java_class(error)
