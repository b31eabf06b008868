"""
Hadoop RPC's framing: the connection preamble, and messages written as a 4-byte big-endian length
followed by varint-delimited protobuf messages (a header, then a payload).

Requests are ``RpcRequestHeaderProto``, ``RequestHeaderProto``, the request message; responses
are ``RpcResponseHeaderProto`` and, on success, the response message.  Out-of-band messages (the
connection context, SASL, pings) carry a header and one message.
"""

import struct

__all__ = [
    "RPC_MAGIC",
    "RPC_VERSION",
    "AUTH_NONE",
    "AUTH_SASL",
    "PREAMBLE_LENGTH",
    "FramingError",
    "preamble",
    "encode_varint",
    "decode_varint",
    "delimited",
    "split_delimited",
    "frame",
]

RPC_MAGIC = b"hrpc"
RPC_VERSION = 9
"""``Server.CURRENT_VERSION``: the IPC version of Hadoop 2 and 3."""
AUTH_NONE = 0x00
"""``AuthProtocol.NONE``: SIMPLE authentication, no SASL exchange."""
AUTH_SASL = 0xDF
"""``AuthProtocol.SASL`` (-33 as a signed byte)."""
PREAMBLE_LENGTH = 7

_LENGTH = struct.Struct("!I")


class FramingError(ValueError):
    """Bytes that are not varint-delimited messages."""


def preamble(service_class=0, auth=AUTH_NONE, version=RPC_VERSION):
    """:return: the 7 bytes a client opens a connection with."""
    return RPC_MAGIC + bytes((version & 0xFF, service_class & 0xFF, auth & 0xFF))


def encode_varint(value):
    """:return: ``value`` (non-negative) as a protobuf base-128 varint."""
    if value < 0:
        raise ValueError(f"a varint length cannot be negative: {value}")
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def decode_varint(data, offset=0):
    """
    :return: ``(value, next_offset)`` of the varint at ``offset``.
    :raise FramingError: if the data ends inside it or it is longer than 64 bits.
    """
    value = 0
    shift = 0
    while True:
        if offset >= len(data):
            raise FramingError("truncated varint")
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
        shift += 7
        if shift >= 64:
            raise FramingError("varint longer than 64 bits")


def delimited(message):
    """:return: ``message`` serialized and prefixed with its length as a varint."""
    data = message.SerializeToString()
    return encode_varint(len(data)) + data


def split_delimited(data, count=None):
    """
    Split a frame's body into its varint-delimited parts.

    :param count: how many parts to take (``None``: all); the rest is ignored.
    :return: the parts' bytes, in order.
    :raise FramingError: if a part's length runs past the end of ``data``.
    """
    parts = []
    offset = 0
    while offset < len(data) and (count is None or len(parts) < count):
        length, offset = decode_varint(data, offset)
        end = offset + length
        if end > len(data):
            raise FramingError(f"a delimited message of {length} bytes runs past the end of the "
                               f"{len(data)}-byte frame")
        parts.append(bytes(data[offset:end]))
        offset = end
    return parts


def frame(*messages):
    """:return: ``messages`` delimited, as one frame with its 4-byte length."""
    body = b"".join(delimited(message) for message in messages)
    return _LENGTH.pack(len(body)) + body
