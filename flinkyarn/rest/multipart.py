"""
``multipart/form-data`` (RFC 7578) as Flink's REST API uses it for uploads: reading a request's
parts, byte-exact (file contents are binary), and writing one.

A body is read strictly: it must open with the boundary's delimiter, every part must have its
headers, a blank line and a ``form-data`` ``Content-Disposition`` naming it, and the closing
delimiter must be there; anything else is a :class:`MultipartError`.  The boundary a body is
written with is derived from its contents (never random, so requests are reproducible) and never
occurs in them.
"""

import hashlib
import re

from attrs import frozen

__all__ = [
    "FormPart",
    "MultipartError",
    "MULTIPART_FORM_DATA",
    "boundary_of",
    "parse_form_data",
    "encode_form_data",
]

MULTIPART_FORM_DATA = "multipart/form-data"

_CRLF = b"\r\n"
_TOKEN_PARAMETER = re.compile(
    r';\s*(?P<key>[!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"'
    r"|(?P<token>[^;\s]*))")


class MultipartError(ValueError):
    """A body that is not well-formed ``multipart/form-data``."""


@frozen
class FormPart:
    """
    One part of a form.

    :ivar str name: the form field's name.
    :ivar filename: the uploaded file's name, ``None`` for a plain field (an "attribute").
    :ivar content_type: the part's ``Content-Type``, if given.
    :ivar bytes content: its content.
    """

    name: str
    content: bytes
    filename: object = None
    content_type: object = None

    @property
    def is_file(self):
        return self.filename is not None


def _parameters(header_value):
    """:return: ``(main value lower-cased, {key lower-cased: value})`` of a header value."""
    main, _, rest = header_value.partition(";")
    parameters = {}
    for found in _TOKEN_PARAMETER.finditer(";" + rest):
        quoted = found.group("quoted")
        value = (re.sub(r"\\(.)", r"\1", quoted) if quoted is not None
                 else found.group("token"))
        parameters[found.group("key").lower()] = value
    return main.strip().lower(), parameters


def boundary_of(content_type):
    """
    :param content_type: a ``Content-Type`` header value (``str``), or ``None``.
    :return: the boundary (``bytes``) of a ``multipart/form-data`` type that names one, else
        ``None``.
    """
    if not content_type:
        return None
    media_type, parameters = _parameters(content_type)
    boundary = parameters.get("boundary")
    if media_type != MULTIPART_FORM_DATA or not boundary:
        return None
    return boundary.encode("latin-1")


def _headers(block):
    headers = {}
    for line in block.split(_CRLF):
        if not line:
            continue
        name, separator, value = line.partition(b":")
        if not separator or not name.strip():
            raise MultipartError(f"malformed part header: {line[:80]!r}")
        headers[name.strip().decode("latin-1").lower()] = value.strip().decode("utf-8", "replace")
    return headers


def _part(raw):
    if raw.startswith(_CRLF):
        head, body = b"", raw[2:]
    else:
        head, separator, body = raw.partition(_CRLF + _CRLF)
        if not separator:
            raise MultipartError("a part has no blank line after its headers")
    headers = _headers(head)
    disposition = headers.get("content-disposition")
    if disposition is None:
        raise MultipartError("a part has no Content-Disposition")
    kind, parameters = _parameters(disposition)
    if kind != "form-data" or "name" not in parameters:
        raise MultipartError(f"not a form-data part: {disposition}")
    return FormPart(parameters["name"], body, parameters.get("filename"),
                    headers.get("content-type"))


def parse_form_data(body, boundary):
    """
    :param bytes body: the request body.
    :param bytes boundary: the boundary from its ``Content-Type`` (:func:`boundary_of`).
    :return: the :class:`FormPart` values, in order.
    :raise MultipartError: if ``body`` is not well-formed.
    """
    delimiter = b"--" + boundary
    if body.startswith(delimiter):
        rest = body[len(delimiter):]
    else:
        # A preamble before the first delimiter is allowed; the delimiter then follows a CRLF.
        start = body.find(_CRLF + delimiter)
        if start < 0:
            raise MultipartError("no multipart delimiter in the body")
        rest = body[start + 2 + len(delimiter):]
    parts = []
    separator = _CRLF + delimiter
    while True:
        if rest.startswith(b"--"):
            return parts
        line_end = rest.find(_CRLF)
        if line_end < 0 or rest[:line_end].strip(b" \t"):
            raise MultipartError("malformed multipart delimiter line")
        rest = rest[line_end + 2:]
        end = rest.find(separator)
        if end < 0:
            raise MultipartError("the body ends before the closing multipart delimiter")
        parts.append(_part(rest[:end]))
        rest = rest[end + len(separator):]


def _quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_form_data(parts):
    """
    :param parts: the :class:`FormPart` values to send, in order.
    :return: ``(Content-Type header value, body bytes)``.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.content)
    seed = digest.hexdigest()
    boundary = f"----FlinkYarnFormBoundary{seed[:24]}"
    counter = 0
    while any(boundary.encode("latin-1") in part.content for part in parts):
        counter += 1
        boundary = f"----FlinkYarnFormBoundary{seed[:24]}{counter}"
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = []
    for part in parts:
        disposition = f"form-data; name={_quoted(part.name)}"
        if part.filename is not None:
            disposition += f"; filename={_quoted(part.filename)}"
        head = f"Content-Disposition: {disposition}\r\n"
        if part.content_type is not None:
            head += f"Content-Type: {part.content_type}\r\n"
        chunks += [delimiter, _CRLF, head.encode("utf-8"), _CRLF, part.content, _CRLF]
    chunks += [delimiter, b"--", _CRLF]
    return f"{MULTIPART_FORM_DATA}; boundary={boundary}", b"".join(chunks)
