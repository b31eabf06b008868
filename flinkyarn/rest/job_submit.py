"""
``POST /jobs`` on the wire, both sides: what ``RestClusterClient.submitJob`` sends — a
``multipart/form-data`` body whose ``request`` field is the ``JobSubmitRequestBody`` JSON
(``{"jobGraphFileName": ..., "jobJarFileNames": [...], "jobArtifactFileNames": [{"entryName",
"fileName"}]}``) and whose file parts carry the serialized JobGraph (``JobGraph.to_bytes()``)
and the jars — and how Flink's ``FileUploadHandler`` and ``JobSubmitHandler`` read it back, with
their errors:

- a body that does not decode as multipart: 500 ``File upload failed.``;
- a form field other than ``request``: 400 ``Received unknown attribute <name>.``;
- a ``request`` (or, without multipart, a body) that is not a ``JobSubmitRequestBody``: 400
  ``Request did not match expected format JobSubmitRequestBody.``;
- no ``jobGraphFileName``: 400 ``The jobGraphFileName field must not be omitted or be null.``;
- a named file that was not uploaded: 400 ``JobGraph file <name> could not be found on the
  server.`` (``Jar file``, ``Artifact file`` likewise).

Uploaded files are known by their file name without directories, as Flink stores them.  Jars and
artifacts are checked but not used: an emulated job needs no code.
"""

import hashlib
import json

from attrs import field, frozen

from flinkyarn.rest.multipart import (
    FormPart,
    MultipartError,
    boundary_of,
    encode_form_data,
    parse_form_data,
)
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = [
    "JOB_SUBMIT_BODY",
    "JobSubmitRequest",
    "job_submit_request",
    "read_job_submit_request",
    "REQUEST_FIELD",
    "JOB_GRAPH_CONTENT_TYPE",
]

#: ``FileUploadHandler.HTTP_ATTRIBUTE_REQUEST``: the form field holding the request JSON.
REQUEST_FIELD = "request"
#: ``RestConstants.CONTENT_TYPE_BINARY``, the type the client gives the JobGraph file.
JOB_GRAPH_CONTENT_TYPE = "application/octet-stream"
_JSON_CONTENT_TYPE = "application/json; charset=UTF-8"

_JOB_GRAPH_FIELD = "jobGraphFileName"
_JARS_FIELD = "jobJarFileNames"
_ARTIFACTS_FIELD = "jobArtifactFileNames"
_BAD_FORMAT = "Request did not match expected format JobSubmitRequestBody."


@frozen
class JobSubmitRequest:
    """
    A ``POST /jobs`` request as the handler sees it.

    :ivar job_graph_file: ``jobGraphFileName`` (``None`` if omitted).
    :ivar tuple jar_files: ``jobJarFileNames``.
    :ivar tuple artifacts: ``(entryName, fileName)`` of each ``jobArtifactFileNames`` entry.
    :ivar files: file name → bytes of every uploaded file.
    """

    job_graph_file: object
    jar_files: tuple = field(factory=tuple, converter=frozen_tuple)
    artifacts: tuple = field(factory=tuple, converter=frozen_tuple)
    files: object = field(factory=dict, converter=frozen_mapping)

    def job_graph_bytes(self):
        """
        ``JobSubmitHandler``'s checks, in its order.

        :return: the uploaded JobGraph file's bytes.
        :raise RestHandlerException: 400 if the JobGraph, a jar or an artifact was named but not
            uploaded (or the JobGraph was not named at all).
        """
        if self.job_graph_file is None:
            raise RestHandlerException(
                400, f"The {_JOB_GRAPH_FIELD} field must not be omitted or be null.")
        graph = self._uploaded(self.job_graph_file, "JobGraph")
        for name in self.jar_files:
            self._uploaded(name, "Jar")
        for _, name in self.artifacts:
            self._uploaded(name, "Artifact")
        return graph

    def _uploaded(self, name, kind):
        content = self.files.get(name)
        if content is None:
            shown = "null" if name is None else name
            raise RestHandlerException(400,
                                       f"{kind} file {shown} could not be found on the server.")
        return content


def job_submit_request(job_graph_bytes):
    """
    The body ``RestClusterClient`` sends for a JobGraph without jars or artifacts: the
    ``request`` field, then the JobGraph as file part ``file_0``, a file named
    ``flink-jobgraph<digest>.bin`` (Flink's is a temporary file ``flink-jobgraph<random>.bin``).

    :return: ``(Content-Type header value, body bytes)``.
    """
    file_name = f"flink-jobgraph{hashlib.sha256(job_graph_bytes).hexdigest()[:20]}.bin"
    request = {_JOB_GRAPH_FIELD: file_name, _JARS_FIELD: [], _ARTIFACTS_FIELD: []}
    return encode_form_data([
        FormPart(REQUEST_FIELD, json.dumps(request).encode("utf-8"),
                 content_type=_JSON_CONTENT_TYPE),
        FormPart("file_0", job_graph_bytes, filename=file_name,
                 content_type=JOB_GRAPH_CONTENT_TYPE),
    ])


def read_job_submit_request(content_type, body):
    """
    :param content_type: the request's ``Content-Type`` (``str`` or ``None``).
    :param bytes body: the request body.
    :return: the :class:`JobSubmitRequest`.
    :raise RestHandlerException: as the module says.
    """
    boundary = boundary_of(content_type)
    if boundary is None:
        return _request_body(body, {})
    try:
        parts = parse_form_data(body, boundary)
    except MultipartError:
        raise RestHandlerException(500, "File upload failed.") from None
    payload, files = b"", {}
    for part in parts:
        if part.is_file:
            files[part.filename.replace("\\", "/").rsplit("/", 1)[-1]] = part.content
        elif part.name == REQUEST_FIELD:
            payload = part.content
        else:
            raise RestHandlerException(400, f"Received unknown attribute {part.name}.")
    return _request_body(payload, files)


def _request_body(payload, files):
    """``AbstractHandler``: an empty body reads as ``{}``; the mapper is strict."""
    try:
        value = json.loads(payload.decode("utf-8")) if payload.strip() else {}
    except (UnicodeDecodeError, ValueError):
        raise RestHandlerException(400, _BAD_FORMAT) from None
    if not isinstance(value, dict) or set(value) - {_JOB_GRAPH_FIELD, _JARS_FIELD,
                                                    _ARTIFACTS_FIELD}:
        raise RestHandlerException(400, _BAD_FORMAT)
    graph = value.get(_JOB_GRAPH_FIELD)
    jars = value.get(_JARS_FIELD) or []
    artifacts = value.get(_ARTIFACTS_FIELD) or []
    if (graph is not None and not isinstance(graph, str)) or not _strings(jars) or not (
            isinstance(artifacts, list) and all(_artifact(entry) for entry in artifacts)):
        raise RestHandlerException(400, _BAD_FORMAT)
    return JobSubmitRequest(graph, jars, [(entry.get("entryName"), entry.get("fileName"))
                                          for entry in artifacts], files)


def _strings(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _artifact(entry):
    return (isinstance(entry, dict) and not set(entry) - {"entryName", "fileName"}
            and all(isinstance(entry.get(key), (str, type(None)))
                    for key in ("entryName", "fileName")))


class _JobSubmitBody:
    """The body codec of ``POST /jobs`` for :mod:`flinkyarn.rest.routes`."""

    @staticmethod
    def read(content_type, body):
        """:return: ``(job graph bytes,)``, the ``submit_job`` argument."""
        return (read_job_submit_request(content_type, body).job_graph_bytes(),)

    @staticmethod
    def write(job_graph_bytes):
        return job_submit_request(job_graph_bytes)


#: ``POST /jobs``'s body codec.
JOB_SUBMIT_BODY = _JobSubmitBody()
