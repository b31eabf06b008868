"""
Flink's own REST spec as a validator of the answers yarnemu's JobManager REST API gives:
:func:`flink_rest_spec` loads ``flink_rest_v1_dispatcher.yml`` (a verbatim copy of Flink's
``docs/static/generated/rest_v1_dispatcher.yml``, ``v1/1.19-SNAPSHOT``, checked by its sha256)
and :meth:`FlinkRestSpec.violations` checks one answer — method, path, status, JSON body —
against the operation it belongs to.

    spec = flink_rest_spec()
    spec.check("GET", "/v1/jobs/overview", 200, body)   # raises SpecViolation

How the OpenAPI document is read — strictly, so that a misspelt or invented field fails:

- **Paths** are matched as Flink's router matches them: an optional ``/v1`` prefix, static
  segments before ``{parameters}``.  An answer to a method and path the spec does not have is a
  violation.
- **Statuses**: a 2xx must be one the operation declares (``POST /jobs`` is 202, not 200); its
  body is the declared schema, or ``{}`` (Flink's ``EmptyResponseBody``) where the spec declares
  no content.  Any other status is an error, whose body must be Flink's ``ErrorResponseBody``,
  ``{"errors": [<string>, ...]}`` with at least one message (the spec does not list errors).
- **Objects are closed**: an object schema with ``properties`` and no ``additionalProperties``
  admits exactly those properties (the spec is generated from the Java response classes, whose
  serialized fields are all listed); a schema with ``additionalProperties`` is a map (e.g.
  ``timestamps``, ``tasks``); a bare ``{"type": "object"}`` (``RawJson``, the job plan) is any
  object.
- **Polymorphism**: ``allOf`` parts are merged into one closed object; a ``discriminator``
  (``className`` of checkpoint statistics) selects the subtype its mapping names; ``oneOf`` is
  read as ``anyOf`` (Jackson picks the Java type, not the first shape that fits), and for the
  asynchronous-operation results the operation narrows it to the one type its handler returns
  (:data:`OPERATION_RESULT_TYPES`: a savepoint status's ``operation`` is a ``SavepointInfo``).
- **Numbers**: ``integer`` admits integers only (not ``1.0``) within the range of the Java type
  its ``format`` names (``int32``, ``int64``); ``number`` admits any JSON number; enums (job and
  execution states, ...) are exact.
- **null** only where the Java field is ``@Nullable`` and Jackson writes it (no
  ``@JsonInclude(NON_NULL)``): :data:`NULLABLE`.
- **Amendments** where Flink's wire format differs from its generated spec because a custom
  Jackson serializer writes the class (:data:`AMENDED_PROPERTIES`): ``SerializedThrowable`` also
  carries ``class`` and ``stack-trace`` (``SerializedThrowableSerializer``), ``JobConfigInfo`` is
  written as ``jid``, ``name`` and ``execution-config`` (``JobConfigInfo.Serializer``; yarnemu
  serves both spellings); and a ``ResourceID`` is any id, not 32 hex digits, because on YARN a
  TaskManager's is its container id (:data:`AMENDED_SCHEMAS`).
"""

import copy
import hashlib
import json
import os
from functools import lru_cache

import yaml
from attrs import frozen
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import best_match

__all__ = [
    "flink_rest_spec",
    "FlinkRestSpec",
    "SpecViolation",
    "Operation",
    "SPEC_FILE",
    "SPEC_SHA256",
    "NULLABLE",
    "AMENDED_PROPERTIES",
    "AMENDED_SCHEMAS",
    "OPERATION_RESULT_TYPES",
    "decode_json",
]

SPEC_FILE = os.path.join(os.path.dirname(__file__), "flink_rest_v1_dispatcher.yml")
SPEC_SHA256 = "9edb7caf50d8a3df6c0c956825293e5018c671539215a35e2c4ede136ae3df84"

_API_VERSION_PREFIX = "v1"
_INT_RANGES = {"int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1)}

#: (schema, property) pairs whose Java field is ``@Nullable`` and serialized as ``null``.
NULLABLE = frozenset({
    # LatestCheckpoints: no completed / savepoint / failed / restored checkpoint yet.
    ("LatestCheckpoints", "completed"),
    ("LatestCheckpoints", "savepoint"),
    ("LatestCheckpoints", "failed"),
    ("LatestCheckpoints", "restored"),
    # CheckpointStatistics#savepointFormat: null for a checkpoint that is not a savepoint.
    ("CheckpointStatistics", "savepointFormat"),
    ("CompletedCheckpointStatistics", "external_path"),
    ("RestoredCheckpointStatistics", "external_path"),
    # JobExceptionsInfo (deprecated fields): null while the job has not failed.
    ("JobExceptionsInfoWithHistory", "root-exception"),
    ("JobExceptionsInfoWithHistory", "timestamp"),
})

#: Properties Flink's custom serializers write that its generated spec does not list.
AMENDED_PROPERTIES = {
    "SerializedThrowable": {
        "class": {"type": "string"},
        "stack-trace": {"type": "string"},
    },
    "JobConfigInfo": {
        "jid": {"$ref": "#/components/schemas/JobID"},
        "name": {"type": "string"},
        "execution-config": {"$ref": "#/components/schemas/ExecutionConfigInfo"},
    },
}

#: Schemas that do not describe what Flink on YARN writes, replaced.
AMENDED_SCHEMAS = {
    # "[0-9a-f]{32}" is a ResourceID.generate() one; on YARN a TaskManager's ResourceID is its
    # container id (YarnResourceManagerDriver), e.g. container_e01_1767225600000_0001_01_000002.
    "ResourceID": {"type": "string", "minLength": 1},
}

#: operationId → the ``AsynchronousOperationResult.operation`` type its handler answers with.
OPERATION_RESULT_TYPES = {
    "getSavepointStatus": "SavepointInfo",
    "getSavepointDisposalStatus": "AsynchronousOperationInfo",
    "getCheckpointStatus": "CheckpointInfo",
    "getRescalingStatus": "AsynchronousOperationInfo",
    "getClusterDataSetDeleteStatus": "AsynchronousOperationInfo",
}

_ERROR_RESPONSE_BODY = {
    "type": "object",
    "properties": {"errors": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    "required": ["errors"],
    "additionalProperties": False,
}
_EMPTY_RESPONSE_BODY = {"type": "object", "additionalProperties": False}


class SpecViolation(AssertionError):
    """An answer that Flink's REST spec does not allow; the message lists every violation."""


@frozen
class Operation:
    """
    One operation of the spec.

    :ivar str method: the HTTP method, upper case.
    :ivar str template: its path template, e.g. ``/jobs/{jobid}``.
    :ivar str operation_id: e.g. ``getJobDetails``.
    :ivar responses: status (``int``) → the OpenAPI schema of its JSON body, or ``None`` for
        none.
    """

    method: str
    template: str
    operation_id: str
    responses: object


def _strict_integer(checker, instance):
    return isinstance(instance, int) and not isinstance(instance, bool)


def _number(checker, instance):
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"integer": _strict_integer, "number": _number})
_StrictValidator = validators.extend(Draft202012Validator, type_checker=_TYPE_CHECKER)


class FlinkRestSpec:
    """
    :param document: the parsed OpenAPI document.
    """

    def __init__(self, document):
        self._schemas = document["components"]["schemas"]
        self._defs = {}
        for name in self._schemas:
            self._defs[name] = self._component(name)
        self.operations = []
        for template, item in document["paths"].items():
            for method, spec in item.items():
                responses = {}
                for status, response in spec.get("responses", {}).items():
                    schema = (response.get("content", {}).get("application/json", {})
                              .get("schema"))
                    responses[int(status)] = schema
                self.operations.append(Operation(method.upper(), template,
                                                 spec["operationId"], responses))
        self._validators = {}

    # Matching

    def operation(self, method, path):
        """
        :param str path: a request path (no query string), with or without ``/v1``.
        :return: the :class:`Operation` Flink's router would pick, or ``None``.
        """
        segments = path.strip("/").split("/")
        if segments and segments[0] == _API_VERSION_PREFIX:
            segments = segments[1:]
        best = None
        for operation in self.operations:
            if operation.method != method.upper():
                continue
            template = operation.template.strip("/").split("/")
            if len(template) != len(segments):
                continue
            score = []
            for expected, actual in zip(template, segments):
                if expected.startswith("{"):
                    if not actual:
                        break
                    score.append(0)
                elif expected == actual:
                    score.append(1)
                else:
                    break
            else:
                # A static segment wins over a parameter, left to right.
                if best is None or score > best[0]:
                    best = (score, operation)
        return best[1] if best else None

    # Validation

    def violations(self, method, path, status, body):
        """
        :param body: the decoded JSON body.
        :return: the violations (messages, each with its JSON path); empty if the answer is
            one Flink could give.
        """
        operation = self.operation(method, path)
        if not 200 <= status < 300:
            # Any request may fail (an unknown path is a 404 too): in Flink's error shape.
            return [f"{method} {path} {status}: {message}" for message in
                    self._errors(("error", None), _ERROR_RESPONSE_BODY, body)]
        if operation is None:
            return [f"{method} {path}: no such operation in Flink's REST API"]
        where = f"{method} {operation.template} ({operation.operation_id}) {status}"
        if status not in operation.responses:
            return [f"{where}: the operation answers "
                    f"{sorted(operation.responses)}, not {status}"]
        declared = operation.responses[status]
        if declared is None:
            return [f"{where}: {message}" for message in
                    self._errors(("empty", None), _EMPTY_RESPONSE_BODY, body)]
        schema = self._convert(declared, None)
        result_type = OPERATION_RESULT_TYPES.get(operation.operation_id)
        if result_type is not None:
            schema = {"allOf": [schema, {"properties": {"operation": _def(result_type)}}]}
        key = (operation.operation_id, status)
        return [f"{where}: {message}" for message in self._errors(key, schema, body)]

    def check(self, method, path, status, body):
        """:raise SpecViolation: if :meth:`violations` finds any."""
        found = self.violations(method, path, status, body)
        if found:
            raise SpecViolation("\n".join(found))

    def _errors(self, key, schema, body):
        validator = self._validators.get(key)
        if validator is None:
            validator = _StrictValidator({**schema, "$defs": self._defs})
            self._validators[key] = validator
        found = []
        for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.path))):
            # Of an anyOf (a subtype, a nullable value), the alternative that came closest.
            while error.context:
                error = best_match(error.context)
            found.append(f"at {error.json_path}: {error.message}")
        return found

    # Reading the document

    def _component(self, name):
        if name in AMENDED_SCHEMAS:
            return copy.deepcopy(AMENDED_SCHEMAS[name])
        schema = self._schemas[name]
        discriminator = schema.get("discriminator")
        if discriminator is not None:
            key = discriminator["propertyName"]
            return {"anyOf": [
                {"allOf": [_def(_ref_name(target)),
                           {"properties": {key: {"const": value}}, "required": [key]}]}
                for value, target in discriminator["mapping"].items()]}
        return self._convert(schema, name)

    def _object(self, schema, name):
        """The properties and required names of an object schema, ``allOf`` parts merged."""
        properties, required = {}, []
        for part in schema.get("allOf", ()):
            if "$ref" in part:
                part_name = _ref_name(part["$ref"])
                part_properties, part_required = self._object(self._schemas[part_name],
                                                              part_name)
            else:
                part_properties, part_required = self._object(part, name)
            properties.update(part_properties)
            required.extend(part_required)
        for key, value in schema.get("properties", {}).items():
            converted = self._convert(value, None)
            if (name, key) in NULLABLE:
                converted = {"anyOf": [converted, {"type": "null"}]}
            properties[key] = converted
        for key, value in AMENDED_PROPERTIES.get(name, {}).items():
            properties[key] = self._convert(value, None)
        required.extend(schema.get("required", ()))
        # A nullable property of a merged part (CompletedCheckpointStatistics' external_path).
        for key in list(properties):
            if (name, key) in NULLABLE and "anyOf" not in properties[key]:
                properties[key] = {"anyOf": [properties[key], {"type": "null"}]}
        return properties, required

    def _convert(self, schema, name):
        """An OpenAPI 3.0 schema as a JSON Schema, read as the module says."""
        if "$ref" in schema:
            return _def(_ref_name(schema["$ref"]))
        if "oneOf" in schema or "anyOf" in schema:
            return {"anyOf": [self._convert(part, None)
                              for part in schema.get("oneOf", schema.get("anyOf"))]}
        kind = schema.get("type")
        if kind == "object" or "properties" in schema or "allOf" in schema:
            result = {"type": "object"}
            additional = schema.get("additionalProperties")
            if "properties" in schema or "allOf" in schema or name in AMENDED_PROPERTIES:
                properties, required = self._object(schema, name)
                result["properties"] = properties
                if required:
                    result["required"] = sorted(set(required))
                if additional is None:
                    result["additionalProperties"] = False
            if isinstance(additional, dict):
                result["additionalProperties"] = self._convert(additional, None)
            elif additional is not None:
                result["additionalProperties"] = additional
            return result
        result = {key: copy.deepcopy(value) for key, value in schema.items()
                  if key in ("type", "enum", "pattern")}
        if kind == "array":
            result["items"] = self._convert(schema.get("items", {}), None)
        if kind == "integer" and schema.get("format") in _INT_RANGES:
            result["minimum"], result["maximum"] = _INT_RANGES[schema["format"]]
        if "pattern" in result:
            # OpenAPI patterns are unanchored; Flink's ids are exactly their pattern.
            result["pattern"] = f"^(?:{result['pattern']})$"
        return result


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def _def(name):
    return {"$ref": f"#/$defs/{name}"}


@lru_cache(maxsize=1)
def flink_rest_spec():
    """
    :return: the :class:`FlinkRestSpec` of :data:`SPEC_FILE` (loaded once).
    :raise AssertionError: if the file is not the copy of Flink's spec it should be.
    """
    with open(SPEC_FILE, "rb") as stream:
        content = stream.read()
    digest = hashlib.sha256(content).hexdigest()
    assert digest == SPEC_SHA256, f"{SPEC_FILE} is not Flink's spec (sha256 {digest})"
    return FlinkRestSpec(yaml.safe_load(content))


def decode_json(body):
    """:return: a response body (bytes) as JSON, ``{}`` for an empty one."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return json.loads(text) if text.strip() else {}



class AnswerLog:
    """
    The Flink REST answers a test saw, each checked against the spec as it is recorded.

    :ivar answers: ``(method, path, status)`` of each answer, in order.
    :ivar violations: the messages of the answers that broke the spec.
    """

    def __init__(self, spec=None):
        self.spec = spec if spec is not None else flink_rest_spec()
        self.answers = []
        self.violations = []

    def record(self, method, path, status, body):
        """Check one answer (``body`` decoded JSON) and remember it."""
        self.answers.append((method, path, status))
        self.violations.extend(self.spec.violations(method, path, status, body))

    def operations(self):
        """:return: ``{(operationId, status)}`` of the answers seen (errors as ``"error"``)."""
        seen = set()
        for method, path, status in self.answers:
            operation = self.spec.operation(method, path)
            name = operation.operation_id if operation is not None else f"{method} {path}"
            seen.add((name, status))
        return seen


__all__ += ["AnswerLog"]
