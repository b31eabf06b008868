"""Where ``flinkyarn`` finds the service, and who it is there."""

import json

import pytest

from flinkyarn.cli.service_address import (
    EndpointsFileError,
    resolve_service_address,
    resolve_user,
)


def test_defaults_are_the_services_own():
    address = resolve_service_address(environ={})
    assert (address.rm, address.webhdfs) == ("http://127.0.0.1:8088", "http://127.0.0.1:9870")


def test_command_line_then_environment_then_endpoints_file(tmp_path):
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(json.dumps({"rm": "http://127.0.0.1:1/", "webhdfs": "http://h:2"}))
    environ = {"YARNEMU_ENDPOINTS": str(endpoints)}
    address = resolve_service_address(environ=environ)
    assert (address.rm, address.webhdfs) == ("http://127.0.0.1:1", "http://h:2")
    environ["YARNEMU_RM"] = "http://env:3"
    assert resolve_service_address(environ=environ).rm == "http://env:3"
    assert resolve_service_address(environ=environ).webhdfs == "http://h:2"
    address = resolve_service_address("http://flag:4", "http://flag:5", environ)
    assert (address.rm, address.webhdfs) == ("http://flag:4", "http://flag:5")


def test_an_unreadable_endpoints_file_is_named(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(EndpointsFileError, match="missing.json"):
        resolve_service_address(environ={"YARNEMU_ENDPOINTS": str(missing)})
    # Not consulted when both addresses are given otherwise.
    assert resolve_service_address("http://a:1", "http://b:2",
                                   {"YARNEMU_ENDPOINTS": str(missing)}).rm == "http://a:1"


def test_the_user_is_hadoop_user_name_else_the_login_name():
    import getpass

    assert resolve_user({"HADOOP_USER_NAME": "carol"}) == "carol"
    assert resolve_user({}) == getpass.getuser()
