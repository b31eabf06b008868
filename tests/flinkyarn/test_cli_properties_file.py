"""``.yarn-properties-<user>``: where it is, what Flink writes into it, and how it is read."""

import os
import stat

import pytest

from flinkyarn.cli.properties_file import (
    decode_dynamic_properties,
    delete_properties_file,
    encode_dynamic_properties,
    load_properties,
    properties_file_path,
    read_properties_file,
    store_properties,
    write_properties_file,
)
from flinkyarn.runtime.errors import FlinkException
from yarnemu.records.ids import ApplicationId

APP = ApplicationId(1700000000000, 7)


def test_the_file_is_named_after_the_local_user(tmp_path, monkeypatch):
    assert properties_file_path(str(tmp_path), "bob") == str(tmp_path / ".yarn-properties-bob")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert properties_file_path(None, "bob") == str(tmp_path / ".yarn-properties-bob")


def test_a_written_file_is_what_properties_store_writes(tmp_path):
    path = str(tmp_path / ".yarn-properties-alice")
    write_properties_file(path, APP, encode_dynamic_properties(
        {"taskmanager.numberOfTaskSlots": "2", "yarn.tags": "a:b"}))
    lines = open(path, encoding="latin-1").read().split("\n")
    assert lines[0] == "#Generated YARN properties file"
    assert lines[1].startswith("#") and lines[1][-4:].isdigit()
    # As java.util.Properties orders and escapes them (checked with OpenJDK 17).
    assert lines[2:] == [
        "applicationID=application_1700000000000_0007",
        "dynamicPropertiesString=yarn.tags\\=a\\:b@@taskmanager.numberOfTaskSlots\\=2",
        "",
    ]
    assert os.stat(path).st_mode & stat.S_IROTH
    properties = read_properties_file(path)
    assert properties.application_id == APP
    assert properties.dynamic_properties == {"taskmanager.numberOfTaskSlots": "2",
                                             "yarn.tags": "a:b"}
    assert delete_properties_file(path) and not os.path.exists(path)
    assert not delete_properties_file(path)
    assert read_properties_file(path) is None


def test_dynamic_properties_are_joined_in_java_hash_order():
    # Properties.stringPropertyNames() lists keys by HashMap bucket (checked with OpenJDK 17).
    assert encode_dynamic_properties({"c": "3", "b": "2"}) == "b=2@@c=3"
    assert encode_dynamic_properties({"taskmanager.numberOfTaskSlots": "2", "yarn.tags": "t"}) \
        == "yarn.tags=t@@taskmanager.numberOfTaskSlots=2"
    assert encode_dynamic_properties({}) == ""
    assert decode_dynamic_properties(" k = v @@broken@@=x@@k2=a=b") == {"k": "v", "k2": "a=b"}
    assert decode_dynamic_properties(None) == {}


def test_java_properties_syntax_is_read_as_java_reads_it():
    text = ("# comment\n! other comment\n  key1 = value one\nkey2:two\nkey3 three\n"
            "multi = a\\\n    b\nescaped\\=key=\\u00e9\\t\\\\\nempty\n")
    assert load_properties(text) == {"key1": "value one", "key2": "two", "key3": "three",
                                     "multi": "ab", "escaped=key": "\u00e9\t\\", "empty": ""}
    stored = store_properties({"k y": " v=1#", "u": "\u00e9"}, "c", now=0)
    assert "k\\ y=\\ v\\=1\\#" in stored and "u=\\u00E9" in stored
    assert load_properties(stored) == {"k y": " v=1#", "u": "\u00e9"}


def test_a_file_without_a_usable_application_id_asks_to_be_deleted(tmp_path):
    path = tmp_path / ".yarn-properties-alice"
    path.write_text("#x\ndynamicPropertiesString=\n")
    with pytest.raises(FlinkException, match="Yarn properties file found but doesn't contain a "
                                             "Yarn application id. Please delete the file at "):
        read_properties_file(str(path))
    path.write_text("applicationID=app_1\n")
    with pytest.raises(FlinkException, match="YARN properties contain an invalid entry for "
                                             "application id: app_1. Please delete the file"):
        read_properties_file(str(path))
