"""
Tests for :mod:`flinkyarn.rest.multipart`: reading and writing ``multipart/form-data`` bodies.
"""

import pytest

from flinkyarn.rest.multipart import (
    FormPart,
    MultipartError,
    boundary_of,
    encode_form_data,
    parse_form_data,
)

BINARY = bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n\r\n"


def test_a_written_form_reads_back_byte_exact():
    """Fields and binary files survive a round trip with their names and types."""
    parts = [FormPart("request", b'{"a": 1}', content_type="application/json"),
             FormPart("file_0", BINARY, filename="graph.bin",
                      content_type="application/octet-stream"),
             FormPart("empty", b"")]
    content_type, body = encode_form_data(parts)
    assert parse_form_data(body, boundary_of(content_type)) == parts


def test_the_boundary_is_reproducible_and_never_in_the_content():
    """The same parts give the same body; a boundary found in a part is changed."""
    parts = [FormPart("f", b"x", filename="x")]
    assert encode_form_data(parts) == encode_form_data(parts)
    content_type, _ = encode_form_data(parts)
    boundary = boundary_of(content_type)
    tricky = [FormPart("f", b"x"), FormPart("g", b"--" + boundary)]
    tricky_type, tricky_body = encode_form_data(tricky)
    assert parse_form_data(tricky_body, boundary_of(tricky_type)) == tricky


@pytest.mark.parametrize("header, expected", [
    ("multipart/form-data; boundary=abc", b"abc"),
    ('Multipart/Form-Data; charset=utf-8; boundary="a b;c"', b"a b;c"),
    ("multipart/form-data", None),
    ("multipart/mixed; boundary=abc", None),
    ("application/json", None),
    (None, None),
])
def test_the_boundary_comes_from_a_form_data_content_type(header, expected):
    """Only ``multipart/form-data`` with a boundary parameter has one (quoted or not)."""
    assert boundary_of(header) == expected


def test_a_preamble_and_an_epilogue_are_ignored():
    """Text before the first delimiter and after the closing one is not a part."""
    body = (b"preamble\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
            b"--B--\r\nepilogue")
    assert parse_form_data(body, b"B") == [FormPart("a", b"1")]


@pytest.mark.parametrize("body", [
    b"no delimiter at all",
    b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
    b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\nno blank line\r\n--B--",
    b"--B\r\n\r\nno headers\r\n--B--",
    b"--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--",
    b"--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--",
    b"--B\r\nbroken header line\r\n\r\nx\r\n--B--",
    b"--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--",
])
def test_a_malformed_body_is_refused(body):
    """A missing delimiter, closing delimiter, blank line or form-data disposition is an error."""
    with pytest.raises(MultipartError):
        parse_form_data(body, b"B")
