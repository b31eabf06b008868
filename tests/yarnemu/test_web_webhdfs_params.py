"""
Tests for :mod:`yarnemu.web.webhdfs.params`: parameters parsed as Hadoop parses them, with its
defaults and its wording.
"""

import pytest

from yarnemu.errors import IllegalArgumentException
from yarnemu.web.webhdfs.params import NULL_OP, OPS, STATIC_USER, QueryParams


def params(namenode=True, **values):
    return QueryParams.from_args(
        {name.replace("_", ".").encode(): [value.encode()] for name, value in values.items()},
        namenode)


def message(call):
    with pytest.raises(IllegalArgumentException) as raised:
        call()
    return raised.value.message


def test_names_are_case_insensitive_and_the_first_value_counts():
    parsed = QueryParams.from_args({b"Overwrite": [b"true", b"false"], b"OP": [b"create"]})
    assert parsed.boolean("overwrite", False) is True
    assert parsed.op("PUT") == "CREATE"


@pytest.mark.parametrize("raw, value", [("true", True), ("True", True), ("TRUE", True),
                                        ("false", False), ("False", False), ("fAlSe", False)])
def test_booleans_are_case_insensitive(raw, value):
    assert params(recursive=raw).boolean("recursive", not value) is value


def test_a_missing_boolean_is_its_default():
    assert params().boolean("createparent", True) is True


@pytest.mark.parametrize("raw", ["yes", "1", "", "null", " true"])
def test_anything_else_is_not_a_boolean(raw):
    assert message(lambda: params(recursive=raw).boolean("recursive", False)) == (
        f'Invalid value for webhdfs parameter "recursive": Failed to parse "{raw}" to Boolean.')


@pytest.mark.parametrize("raw, value", [("5", 5), ("+5", 5), ("0007", 7), ("null", None),
                                        ("32767", 32767)])
def test_shorts_read_as_java_reads_them(raw, value):
    assert params(replication=raw).short("replication") == value


@pytest.mark.parametrize("raw", ["", " 5", "5 ", "1_0", "0x10", "5.0", "32768", "-32769", "٣"])
def test_what_java_would_not_parse_is_refused(raw):
    assert message(lambda: params(replication=raw).short("replication")) == (
        f'Invalid value for webhdfs parameter "replication": Failed to parse "{raw}" as a '
        "radix-10 short integer.")


def test_longs_and_integers_have_their_java_ranges():
    assert params(offset=str(2 ** 63 - 1)).long("offset") == 2 ** 63 - 1
    assert message(lambda: params(offset=str(2 ** 63)).long("offset")).endswith(
        f'Failed to parse "{2 ** 63}" as a radix-10 long integer.')
    assert message(lambda: params(buffersize=str(2 ** 31)).integer("buffersize")).endswith(
        f'Failed to parse "{2 ** 31}" as a radix-10 integer.')


@pytest.mark.parametrize("raw, value", [("755", 0o755), ("0644", 0o644), ("1777", 0o1777),
                                        ("0", 0)])
def test_permissions_are_octal(raw, value):
    assert params(permission=raw).permission() == value


def test_permission_ranges_are_written_in_octal():
    assert message(lambda: params(permission="-1").permission()) == (
        'Invalid value for webhdfs parameter "permission": Invalid parameter range: '
        "permission = -1 < 0")
    assert message(lambda: params(permission="8").permission()).endswith(
        'Failed to parse "8" as a radix-8 short integer.')


def test_the_defaults_of_offset_and_length():
    assert (params().offset(), params().length()) == (0, None)


def test_the_datanode_words_errors_without_the_jersey_prefix():
    assert message(lambda: params(namenode=False, offset="-2").offset()) == (
        "Invalid parameter range: offset = -2 < 0")
    assert message(lambda: params(offset="-2").for_datanode().offset()) == (
        "Invalid parameter range: offset = -2 < 0")


@pytest.mark.parametrize("method", sorted(OPS))
def test_each_method_knows_its_own_ops(method):
    assert params(op="null").op(method) == NULL_OP
    assert params().op(method) == NULL_OP
    for op in OPS[method]:
        assert params(op=op.lower()).op(method) == op


def test_an_op_of_another_method_is_not_valid_keeping_its_spelling():
    assert message(lambda: params(op="getFileStatus").op("PUT")) == (
        'Invalid value for webhdfs parameter "op": getFileStatus is not a valid PUT operation.')


def test_the_user_is_doas_then_user_name_then_the_static_user():
    assert params(doas="carol", user_name="alice").user() == "carol"
    assert params(user_name="alice").user() == "alice"
    assert params(user_name="").user() == STATIC_USER == "dr.who"
    assert params(user_name="svc-account$").user() == "svc-account$"


@pytest.mark.parametrize("name", ["9lives", "a b", "a/b", "../x"])
def test_a_user_outside_the_pattern_is_refused(name):
    assert "does not belong to the domain" in message(lambda: params(user_name=name).user())


def test_destination_must_be_absolute():
    assert params(destination="/a/b").destination() == "/a/b"
    assert params().destination() is None
    assert message(lambda: params(destination="a/b").destination()) == (
        'Invalid value for webhdfs parameter "destination": Invalid parameter value: '
        'destination = "a/b" is not an absolute path.')


def test_values_that_are_not_utf8_are_kept_as_escapes():
    parsed = QueryParams.from_args({b"destination": [b"/a\xff"]})
    assert parsed.destination() == "/a\udcff"
