"""Hadoop RPC framing: varints, delimited messages, frames and the preamble."""

import struct

import pytest

from tests.interop.ipc_fixtures import descriptors
from yarnemu.ipc.framing import (
    FramingError,
    decode_varint,
    delimited,
    encode_varint,
    frame,
    preamble,
    split_delimited,
)


@pytest.mark.parametrize("value, encoded", [
    (0, b"\x00"), (1, b"\x01"), (127, b"\x7f"), (128, b"\x80\x01"), (300, b"\xac\x02"),
    (2**32 - 1, b"\xff\xff\xff\xff\x0f"),
])
def test_varints_are_protobuf_base_128(value, encoded):
    assert encode_varint(value) == encoded
    assert decode_varint(encoded + b"rest") == (value, len(encoded))


def test_a_negative_length_is_refused():
    with pytest.raises(ValueError):
        encode_varint(-1)


@pytest.mark.parametrize("data", [b"", b"\x80", b"\xff" * 11])
def test_truncated_or_overlong_varints_are_framing_errors(data):
    with pytest.raises(FramingError):
        decode_varint(data)


def test_delimited_messages_split_back_in_order():
    header_class = descriptors().message_class("hadoop.common.RequestHeaderProto")
    first = header_class(methodName="getClusterMetrics", declaringClassProtocolName="p",
                         clientProtocolVersion=1)
    second = header_class(methodName="x" * 200, declaringClassProtocolName="q",
                          clientProtocolVersion=1)
    parts = split_delimited(delimited(first) + delimited(second))
    assert [header_class.FromString(part) for part in parts] == [first, second]
    assert split_delimited(delimited(first) + delimited(second), 1) == [parts[0]]


def test_a_part_running_past_the_frame_is_a_framing_error():
    with pytest.raises(FramingError, match="runs past the end"):
        split_delimited(b"\x05abc")


def test_a_frame_is_its_big_endian_length_then_the_delimited_messages():
    message = descriptors().message_class("hadoop.yarn.PriorityProto")(priority=7)
    data = frame(message, message)
    (length,) = struct.unpack("!I", data[:4])
    assert length == len(data) - 4
    assert data[4:] == delimited(message) * 2


def test_the_preamble_is_hrpc_version_9_service_class_and_auth():
    assert preamble() == b"hrpc\x09\x00\x00"
    assert preamble(auth=0xDF) == b"hrpc\x09\x00\xdf"
    assert preamble(service_class=3, version=8) == b"hrpc\x08\x03\x00"
