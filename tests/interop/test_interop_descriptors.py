"""
The descriptor set: checked when read (nine files in dependency order, loadable), and made for
real by our DumpDescriptors.java from Hadoop's client jar with the machine's JDK.
"""

import os

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool

from yarnemu.interop.artifacts import DESCRIPTOR_FILES
from yarnemu.interop.cache import InteropCache
from yarnemu.interop.descriptors import DescriptorSetError, dump_descriptors, read_descriptor_set

DEPENDENCIES = {
    "yarn_protos.proto": ["Security.proto"],
    "yarn_service_protos.proto": ["Security.proto", "yarn_protos.proto"],
    "applicationclient_protocol.proto": ["Security.proto", "yarn_service_protos.proto"],
    "applicationmaster_protocol.proto": ["yarn_service_protos.proto"],
    "containermanagement_protocol.proto": ["yarn_protos.proto", "yarn_service_protos.proto"],
}


def stand_in_set(names=DESCRIPTOR_FILES):
    files = descriptor_pb2.FileDescriptorSet()
    for name in names:
        file = files.file.add(name=name, package="stand.in", syntax="proto2")
        file.dependency.extend(DEPENDENCIES.get(name, []))
        file.message_type.add(name="M" + name.split(".")[0].replace("_", ""))
    return files


def write(path, files):
    path.write_bytes(files.SerializeToString())
    return str(path)


def test_a_set_of_the_nine_files_in_order_is_read(tmp_path):
    """The nine files, each after its imports, are accepted as they are."""
    files = read_descriptor_set(write(tmp_path / "set.fds", stand_in_set()))
    assert tuple(file.name for file in files.file) == DESCRIPTOR_FILES


def test_a_missing_file_is_named(tmp_path):
    """A path that does not exist fails with the path."""
    with pytest.raises(DescriptorSetError, match="Cannot read the descriptor set .*nowhere.fds"):
        read_descriptor_set(str(tmp_path / "nowhere.fds"))


def test_bytes_that_are_no_descriptor_set_are_refused(tmp_path):
    """Garbage fails as not being a FileDescriptorSet."""
    (tmp_path / "bad.fds").write_bytes(b"\xff\xff\xff\xff")
    with pytest.raises(DescriptorSetError, match="is not a FileDescriptorSet"):
        read_descriptor_set(str(tmp_path / "bad.fds"))


def test_other_files_or_another_order_are_refused(tmp_path):
    """A set lacking a file, or in another order, is not the Hadoop 3.5.0 set."""
    lacking = write(tmp_path / "lacking.fds", stand_in_set(DESCRIPTOR_FILES[:-1]))
    with pytest.raises(DescriptorSetError, match="expected RpcHeader.proto"):
        read_descriptor_set(lacking)
    reordered = write(tmp_path / "reordered.fds", stand_in_set(tuple(reversed(DESCRIPTOR_FILES))))
    with pytest.raises(DescriptorSetError, match="holds containermanagement_protocol.proto, "):
        read_descriptor_set(reordered)


def test_a_set_whose_imports_do_not_resolve_is_refused(tmp_path):
    """The right names with a broken import do not load into a DescriptorPool."""
    files = stand_in_set()
    files.file[4].dependency.append("nowhere.proto")
    with pytest.raises(DescriptorSetError, match="does not load into a DescriptorPool"):
        read_descriptor_set(write(tmp_path / "broken.fds", files))


def test_dumping_needs_the_hadoop_jars(tmp_path, jdk):
    """Without the jars the dump fails at once, naming them."""
    with pytest.raises(DescriptorSetError, match="hadoop-client-api-3.5.0.jar"):
        dump_descriptors(InteropCache(str(tmp_path)), jdk, lambda line: None)


def test_our_dump_program_writes_hadoops_wire_schema(tmp_path, jdk, interop_cache):
    """DumpDescriptors.java, compiled and run on the real jar, gives the YARN protocols."""
    cache = InteropCache(str(tmp_path / "cache"))
    os.makedirs(cache.hadoop_dir)
    for jar in interop_cache.hadoop_client_jars():
        os.symlink(jar, os.path.join(cache.hadoop_dir, os.path.basename(jar)))
    lines = []
    dump_descriptors(cache, jdk, lines.append)
    assert lines == [f"Descriptor set: 9 files, {os.path.getsize(cache.descriptors):,} bytes, in "
                     f"{cache.descriptors}"]
    files = read_descriptor_set(cache.descriptors)
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    client = pool.FindServiceByName("hadoop.yarn.ApplicationClientProtocolService")
    assert len(client.methods) == 35
    assert {"getClusterMetrics", "getApplications", "submitApplication",
            "forceKillApplication"} <= {method.name for method in client.methods}
    master = pool.FindServiceByName("hadoop.yarn.ApplicationMasterProtocolService")
    assert [method.name for method in master.methods] == [
        "registerApplicationMaster", "finishApplicationMaster", "allocate"]
    header = pool.FindMessageTypeByName("hadoop.common.RpcRequestHeaderProto")
    assert header.fields_by_name["callId"].type == header.fields_by_name["callId"].TYPE_SINT32
    again = []
    dump_descriptors(cache, jdk, again.append)
    assert again == [f"Descriptor set: already in {cache.descriptors}"]
