"""The descriptor set: loading it, message classes, and each protocol's method types."""

import pytest
from google.protobuf import descriptor_pb2

from tests.interop.ipc_fixtures import descriptors
from yarnemu.ipc.descriptors import (
    APPLICATION_CLIENT_PROTOCOL,
    APPLICATION_MASTER_PROTOCOL,
    CONTAINER_MANAGEMENT_PROTOCOL,
    DESCRIPTORS_ENV,
    DescriptorsUnavailable,
    HadoopDescriptors,
    default_descriptors_path,
)


def test_message_classes_come_by_full_name():
    report_class = descriptors().message_class("hadoop.yarn.ApplicationReportProto")
    report = report_class()
    assert report.diagnostics == "N/A"  # the descriptor's default, not retyped anywhere
    assert descriptors().message_class("hadoop.yarn.ApplicationReportProto") is report_class


def test_an_unknown_message_is_a_key_error():
    with pytest.raises(KeyError):
        descriptors().message_class("hadoop.yarn.NoSuchProto")


@pytest.mark.parametrize("protocol, method, request_name, response_name", [
    (APPLICATION_CLIENT_PROTOCOL, "forceKillApplication", "KillApplicationRequestProto",
     "KillApplicationResponseProto"),
    (APPLICATION_MASTER_PROTOCOL, "allocate", "AllocateRequestProto", "AllocateResponseProto"),
    (CONTAINER_MANAGEMENT_PROTOCOL, "startContainers", "StartContainersRequestProto",
     "StartContainersResponseProto"),
])
def test_methods_give_their_request_and_response_classes(protocol, method, request_name,
                                                          response_name):
    types = descriptors().method(protocol, method)
    assert types.request.DESCRIPTOR.full_name == f"hadoop.yarn.{request_name}"
    assert types.response.DESCRIPTOR.full_name == f"hadoop.yarn.{response_name}"


def test_unknown_methods_and_protocols_have_no_types():
    assert descriptors().method(APPLICATION_MASTER_PROTOCOL, "getClusterMetrics") is None
    assert descriptors().method("org.example.NoProtocolPB", "allocate") is None


def test_the_protocols_list_their_methods():
    assert descriptors().method_names(APPLICATION_MASTER_PROTOCOL) == [
        "registerApplicationMaster", "finishApplicationMaster", "allocate"]
    assert "getApplications" in descriptors().method_names(APPLICATION_CLIENT_PROTOCOL)


def test_a_missing_set_says_what_to_run(tmp_path):
    with pytest.raises(DescriptorsUnavailable) as raised:
        HadoopDescriptors.load(tmp_path / "none.fds")
    assert "python -m yarnemu.interop.setup" in str(raised.value)
    assert str(tmp_path / "none.fds") in str(raised.value)


def test_a_file_that_is_no_descriptor_set_is_refused(tmp_path):
    path = tmp_path / "bad.fds"
    path.write_bytes(b"\xff\xff not protobuf")
    with pytest.raises(DescriptorsUnavailable, match="is not a Hadoop RPC descriptor set"):
        HadoopDescriptors.load(path)


def test_the_default_path_is_the_environment_s_else_the_interop_cache(tmp_path):
    assert default_descriptors_path({DESCRIPTORS_ENV: "/x/y.fds"}) == "/x/y.fds"
    assert default_descriptors_path({"YARNEMU_INTEROP_CACHE": str(tmp_path)}) == str(
        tmp_path / "hadoop-yarn.fds")


def test_a_set_without_the_yarn_protocols_is_refused(tmp_path):
    path = tmp_path / "empty.fds"
    path.write_bytes(descriptor_pb2.FileDescriptorSet().SerializeToString())
    with pytest.raises(DescriptorsUnavailable, match="is not a Hadoop RPC descriptor set"):
        HadoopDescriptors.load(path)
