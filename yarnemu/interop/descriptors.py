"""
The Hadoop RPC and YARN message descriptors, taken from Hadoop's client jar at set-up time: our
Java program ``java/DumpDescriptors.java`` (compiled with the machine's JDK) asks the jar's
generated classes for their descriptors and writes them as one ``FileDescriptorSet``,
``hadoop-yarn.fds`` in the cache — the nine files of
:data:`~yarnemu.interop.artifacts.DESCRIPTOR_FILES`, exactly the wire schema of Hadoop 3.5.0.  No
``.proto`` source is needed, and nothing generated is committed.

The set is checked before it replaces the old one: it must parse, hold the nine files in
dependency order, and load into a protobuf ``DescriptorPool`` (as the service loads it).
"""

import hashlib
import os
import subprocess

from google.protobuf import descriptor_pb2, descriptor_pool

from yarnemu.interop.artifacts import DESCRIPTOR_CLASSES, DESCRIPTOR_FILES

__all__ = ["DUMP_PROGRAM", "DescriptorSetError", "dump_descriptors", "read_descriptor_set"]

DUMP_PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "java",
                            "DumpDescriptors.java")
"""Our descriptor dump's source."""


class DescriptorSetError(Exception):
    """A descriptor set that cannot be made or is not the expected one; the message says why."""


def read_descriptor_set(path):
    """
    :return: the ``FileDescriptorSet`` at ``path``, checked to be the nine expected files in
        dependency order and to load into a fresh ``DescriptorPool``.
    :raise DescriptorSetError: naming the path and the problem.
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise DescriptorSetError(f"Cannot read the descriptor set {path}: {error}") from None
    files = descriptor_pb2.FileDescriptorSet()
    try:
        files.ParseFromString(data)
    except Exception as error:  # protobuf's DecodeError, and others from the C implementation
        raise DescriptorSetError(f"{path} is not a FileDescriptorSet: {error}") from None
    names = tuple(file.name for file in files.file)
    if names != DESCRIPTOR_FILES:
        raise DescriptorSetError(f"{path} holds {', '.join(names) or 'no files'}; expected "
                                 f"{', '.join(DESCRIPTOR_FILES)}")
    pool = descriptor_pool.DescriptorPool()
    try:
        for file in files.file:
            pool.Add(file)
    except Exception as error:  # TypeError or KeyError, depending on the implementation
        raise DescriptorSetError(f"{path} does not load into a DescriptorPool: {error}") from None
    return files


def dump_descriptors(cache, jdk, report=print):
    """
    Make ``cache.descriptors`` from the Hadoop client jars in the cache (which must be there).

    :param jdk: the :class:`~yarnemu.interop.jdk.Jdk` to compile and run the dump with.
    :param report: called with one line per thing done.
    :raise DescriptorSetError: if compiling or running the dump fails, or its output is wrong.
    """
    with open(DUMP_PROGRAM, "rb") as stream:
        program = hashlib.sha256(stream.read()).hexdigest()
    step = "descriptors"
    jars = cache.hadoop_client_jars()
    inputs = " ".join([f"DumpDescriptors.java:sha256:{program}",
                       *(os.path.basename(jar) for jar in jars), *DESCRIPTOR_CLASSES])
    if cache.is_done(step, inputs, [cache.descriptors]):
        report(f"Descriptor set: already in {cache.descriptors}")
        return
    cache.forget(step)
    lacking = [jar for jar in jars if not os.path.isfile(jar)]
    if lacking:
        raise DescriptorSetError(f"Cannot dump the descriptors: {', '.join(lacking)} missing")
    classes = os.path.join(cache.classes, "descriptors")
    try:
        jdk.compile([DUMP_PROGRAM], jars, classes)
    except RuntimeError as error:
        raise DescriptorSetError(str(error)) from None
    partial = cache.descriptors + ".partial"
    argv = jdk.command([*jars, classes], "DumpDescriptors", partial, *DESCRIPTOR_CLASSES)
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise DescriptorSetError(f"DumpDescriptors failed (exit {result.returncode}):\n"
                                 f"{result.stdout}{result.stderr}")
    files = read_descriptor_set(partial)
    os.replace(partial, cache.descriptors)
    cache.mark_done(step, inputs)
    report(f"Descriptor set: {len(files.file)} files, {os.path.getsize(cache.descriptors):,} "
           f"bytes, in {cache.descriptors}")
