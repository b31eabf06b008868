"""
Tests of :mod:`yarnemu.client.remote_exception`: Hadoop's ``RemoteException`` bodies (and error
answers that are not one) turned back into the error values the in-process clients raise.
"""

import json

from yarnemu.client.http import HttpResponse
from yarnemu.client.remote_exception import DFS_ERRORS, YARN_ERRORS, error_from_response
from yarnemu.dfs import (
    FileNotFoundException,
    InvalidPathException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.errors import ApplicationNotFoundException, InvalidResourceRequestException
from yarnemu.web.errors import BadRequestException, NotFoundException, WebError

APP = "application_1476912658570_0002"


def _response(status, body):
    return HttpResponse(status, {"Content-Type": ["application/json"]},
                        json.dumps(body).encode("utf-8"))


def _remote(status, java_class, message):
    return _response(status, {"RemoteException": {
        "exception": java_class.rsplit(".", 1)[-1], "javaClassName": java_class,
        "message": message}})


def test_a_not_found_app_is_application_not_found():
    """A 404 NotFoundException under /apps/{id} is ApplicationNotFoundException, message kept."""
    message = f"java.lang.Exception: app with id: {APP} not found"
    response = _remote(404, "org.apache.hadoop.yarn.webapp.NotFoundException", message)
    error = error_from_response(response, YARN_ERRORS, ApplicationNotFoundException)
    assert type(error) is ApplicationNotFoundException and error.message == message
    plain = error_from_response(response, YARN_ERRORS)
    assert type(plain) is NotFoundException and plain.message == message


def test_remote_exceptions_map_by_java_class_then_by_name():
    """The javaClassName picks the error class; failing that, the simple exception name."""
    error = error_from_response(
        _remote(400, "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException", "big"),
        YARN_ERRORS)
    assert type(error) is InvalidResourceRequestException and error.message == "big"
    by_name = error_from_response(_response(404, {"RemoteException": {
        "exception": "FileNotFoundException", "message": "File does not exist: /x"}}),
        DFS_ERRORS)
    assert type(by_name) is FileNotFoundException
    assert by_name.message == "File does not exist: /x"


def test_errors_with_a_path_keep_the_exact_message_and_the_path():
    """Errors whose constructor words the message from a path keep the message as sent."""
    not_empty = error_from_response(
        _remote(403, "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException",
                "`/a is non empty': Directory is not empty"), DFS_ERRORS)
    assert type(not_empty) is PathIsNotEmptyDirectoryException
    assert (not_empty.message, not_empty.path) == (
        "`/a is non empty': Directory is not empty", "/a is non empty")
    invalid = error_from_response(
        _remote(400, "org.apache.hadoop.fs.InvalidPathException",
                "Invalid path name Invalid file name: x"), DFS_ERRORS)
    assert (type(invalid), invalid.message, invalid.path) == (
        InvalidPathException, "Invalid path name Invalid file name: x", "Invalid file name: x")


def test_unknown_classes_fall_back_by_status_keeping_the_java_class():
    """An unknown class becomes the status's web error with the remote javaClassName."""
    error = error_from_response(_remote(400, "com.example.OddException", "odd"), YARN_ERRORS)
    assert (type(error), error.message, error.java_class) == (
        BadRequestException, "odd", "com.example.OddException")
    server = error_from_response(_remote(503, "java.lang.IllegalStateException", "busy"),
                                 YARN_ERRORS)
    assert (type(server), server.java_class) == (WebError, "java.lang.IllegalStateException")


def test_a_body_that_is_no_remote_exception_gives_the_status_and_the_text():
    """HTML or other text in an error answer is reported with its status."""
    error = error_from_response(HttpResponse(404, {}, b"<html>No Such Resource</html>"),
                                YARN_ERRORS, ApplicationNotFoundException)
    assert type(error) is NotFoundException
    assert error.message == "HTTP 404: <html>No Such Resource</html>"
    assert error_from_response(HttpResponse(502, {}, b""), YARN_ERRORS).message == "HTTP 502"
