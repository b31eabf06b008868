"""
Tests for :mod:`flinkyarn.rest.job_submit`: ``POST /jobs`` bodies as ``RestClusterClient`` writes
them and as Flink's ``FileUploadHandler`` and ``JobSubmitHandler`` read them, with their errors.
"""

import json

import pytest

from flinkyarn.rest.job_submit import job_submit_request, read_job_submit_request
from flinkyarn.rest.multipart import FormPart, boundary_of, encode_form_data, parse_form_data
from flinkyarn.runtime.gateways import RestHandlerException


def form(request=None, files=(), extra=()):
    parts = []
    if request is not None:
        parts.append(FormPart("request", json.dumps(request).encode()))
    parts += [FormPart(f"file_{index}", content, filename=name)
              for index, (name, content) in enumerate(files)]
    parts += list(extra)
    return encode_form_data(parts)


def refusal(content_type, body):
    with pytest.raises(RestHandlerException) as raised:
        read_job_submit_request(content_type, body).job_graph_bytes()
    return raised.value.status, raised.value.message


def test_the_client_body_is_a_request_field_and_the_job_graph_file():
    """The request JSON names the JobGraph file part, which holds the bytes."""
    content_type, body = job_submit_request(b"\x00graph")
    request, graph = parse_form_data(body, boundary_of(content_type))
    assert request.name == "request" and not request.is_file
    fields = json.loads(request.content)
    assert fields == {"jobGraphFileName": graph.filename, "jobJarFileNames": [],
                      "jobArtifactFileNames": []}
    assert graph.name == "file_0" and graph.filename.startswith("flink-jobgraph")
    assert graph.content == b"\x00graph"
    assert read_job_submit_request(content_type, body).job_graph_bytes() == b"\x00graph"


def test_jars_and_artifacts_must_be_uploaded_too():
    """Named jars and artifacts are looked up like the JobGraph, by file name without dirs."""
    request = {"jobGraphFileName": "g.bin", "jobJarFileNames": ["job.jar"],
               "jobArtifactFileNames": [{"entryName": "dict", "fileName": "dict.txt"}]}
    content_type, body = form(request, [("g.bin", b"G"), ("/tmp/x/job.jar", b"J"),
                                        ("dict.txt", b"D")])
    submitted = read_job_submit_request(content_type, body)
    assert submitted.job_graph_bytes() == b"G"
    assert submitted.jar_files == ("job.jar",)
    assert submitted.artifacts == (("dict", "dict.txt"),)
    content_type, body = form(request, [("g.bin", b"G"), ("dict.txt", b"D")])
    assert refusal(content_type, body) == (
        400, "Jar file job.jar could not be found on the server.")
    content_type, body = form(request, [("g.bin", b"G"), ("job.jar", b"J")])
    assert refusal(content_type, body) == (
        400, "Artifact file dict.txt could not be found on the server.")


def test_a_missing_job_graph_file_is_a_bad_request():
    """A named JobGraph that was not uploaded, or none named, is JobSubmitHandler's 400."""
    content_type, body = form({"jobGraphFileName": "g.bin"}, [("other.bin", b"x")])
    assert refusal(content_type, body) == (
        400, "JobGraph file g.bin could not be found on the server.")
    content_type, body = form(None, [("g.bin", b"x")])
    assert refusal(content_type, body) == (
        400, "The jobGraphFileName field must not be omitted or be null.")


def test_a_plain_json_body_has_no_uploaded_files():
    """Without multipart the body is the request; the files it names were not uploaded."""
    assert refusal("application/json", b'{"jobGraphFileName": "g.bin"}') == (
        400, "JobGraph file g.bin could not be found on the server.")
    assert refusal(None, b"") == (
        400, "The jobGraphFileName field must not be omitted or be null.")
    assert refusal("multipart/form-data", b"{}")[1].startswith("The jobGraphFileName field")


@pytest.mark.parametrize("request_json", [
    b"not json", b"[]", b'{"jobGraphFileName": 3}', b'{"jobJarFileNames": "a.jar"}',
    b'{"unknownField": 1}', b'{"jobArtifactFileNames": [{"fileName": 1}]}',
])
def test_a_request_that_is_not_a_job_submit_request_body_is_a_bad_request(request_json):
    """Flink's strict mapper refuses wrong types and unknown fields."""
    content_type, body = encode_form_data([FormPart("request", request_json)])
    assert refusal(content_type, body) == (
        400, "Request did not match expected format JobSubmitRequestBody.")


def test_an_unknown_form_field_is_a_bad_request():
    """A plain field other than ``request`` is FileUploadHandler's 400."""
    content_type, body = form({"jobGraphFileName": "g.bin"}, [("g.bin", b"x")],
                              [FormPart("extra", b"1")])
    assert refusal(content_type, body) == (400, "Received unknown attribute extra.")


def test_a_body_that_does_not_decode_is_a_failed_upload():
    """A multipart body that does not parse is FileUploadHandler's 500."""
    assert refusal("multipart/form-data; boundary=B", b"--B\r\ngarbage") == (
        500, "File upload failed.")
