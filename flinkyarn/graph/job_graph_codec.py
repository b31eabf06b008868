"""
The ``job.graph`` file format: a :class:`~flinkyarn.graph.job_graph.JobGraph` as UTF-8 JSON
with sorted keys (the same graph always gives the same bytes).  Flink stages a Java-serialized
JobGraph; the emulator stages this instead, under the same name.

Version 1::

    {"format": "flinkyarn-jobgraph", "version": 1,
     "jobId": "<32 hex>", "jobName": "...", "jobType": "STREAMING" | "BATCH",
     "vertices": [                                   # topological order
       {"id": "<32 hex>", "name": "Source: Words -> Map", "parallelism": 2,
        "maxParallelism": -1, "slotSharingGroup": "default",
        "invokableClassName": "org.apache.flink.streaming.runtime.tasks.SourceStreamTask",
        "description": "...",
        "operators": [{"operatorId": "<32 hex>", "name": "...", "kind": "map",
                       "description": null, "uid": null,
                       "simulation": null
                                   | {"type": "BoundedSource", "records": 1000,
                                      "recordsPerSecond": 100.0 | null}
                                   | {"type": "UnboundedSource", "recordsPerSecond": 100.0}
                                   | {"type": "ProcessingCost", "recordsPerSecond": null,
                                      "outputRatio": 1.0}
                                   | {"type": "DriverProgram", "entry": "three_jobs.py:main",
                                      "source": "..." | null, "args": ["--records", "10"],
                                      "configuration": {"parallelism.default": "2"}},
                       "window": null | {"assigner": "TumblingEventTimeWindows(5000)",
                                         "time": "event", "size": 5000, "slide": null,
                                         "gap": null}}],
        "inputs": [{"source": "<data set id>", "distributionPattern": "ALL_TO_ALL",
                    "shipStrategyName": "HASH"}],
        "producedDataSets": [{"id": "<32 hex>", "resultPartitionType": "PIPELINED_BOUNDED"}],
        "resources": {"cpuCores": 1.0, "taskHeapMemoryMb": 512,     # only when declared
                      "taskOffHeapMemoryMb": 0, "managedMemoryMb": 0}}],
     "checkpointing": {"intervalMs": null, "mode": "EXACTLY_ONCE", "timeoutMs": 600000,
                       "minPauseMs": 0, "maxConcurrent": 1, "tolerableFailures": 0},
     "savepointRestore": {"path": null, "allowNonRestoredState": false,
                          "restoreMode": "NO_CLAIM"},
     "userJars": [], "classpaths": [], "userArtifacts": {}, "jobConfiguration": {}}

Decoding checks every field (missing, unknown, wrong type, unknown enum value, malformed id)
and then the graph itself; any problem raises
:class:`~flinkyarn.graph.errors.InvalidJobGraphException` naming the field's path.
"""

import json

from flinkyarn.graph.driver_program import DriverProgram
from flinkyarn.graph.errors import InvalidJobGraphException
from flinkyarn.graph.job_graph import (
    ChainedOperator,
    DistributionPattern,
    IntermediateDataSet,
    JobEdge,
    JobGraph,
    JobVertex,
    ResultPartitionType,
)
from flinkyarn.graph.job_settings import (
    CheckpointingMode,
    CheckpointSettings,
    JobType,
    RestoreMode,
    SavepointRestoreSettings,
)
from flinkyarn.graph.resource_spec import ResourceSpec
from flinkyarn.graph.simulation import BoundedSource, ProcessingCost, UnboundedSource, WindowSpec
from flinkyarn.ids import IntermediateDataSetID, JobID, JobVertexID, OperatorID

__all__ = ["FORMAT", "VERSION", "encode_job_graph", "decode_job_graph"]

FORMAT = "flinkyarn-jobgraph"
VERSION = 1


def encode_job_graph(graph):
    """:return: the ``job.graph`` bytes of ``graph``."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "jobId": str(graph.job_id),
        "jobName": graph.name,
        "jobType": graph.job_type.value,
        "vertices": [_encode_vertex(vertex) for vertex in graph.vertices],
        "checkpointing": {
            "intervalMs": graph.checkpointing.interval_ms,
            "mode": graph.checkpointing.mode.value,
            "timeoutMs": graph.checkpointing.timeout_ms,
            "minPauseMs": graph.checkpointing.min_pause_ms,
            "maxConcurrent": graph.checkpointing.max_concurrent,
            "tolerableFailures": graph.checkpointing.tolerable_failures,
        },
        "savepointRestore": {
            "path": graph.savepoint_restore.path,
            "allowNonRestoredState": graph.savepoint_restore.allow_non_restored_state,
            "restoreMode": graph.savepoint_restore.restore_mode.value,
        },
        "userJars": list(graph.user_jars),
        "classpaths": list(graph.classpaths),
        "userArtifacts": dict(graph.user_artifacts),
        "jobConfiguration": dict(graph.job_configuration),
    }
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _encode_vertex(vertex):
    encoded = {
        "id": str(vertex.id),
        "name": vertex.name,
        "parallelism": vertex.parallelism,
        "maxParallelism": vertex.max_parallelism,
        "slotSharingGroup": vertex.slot_sharing_group,
        "invokableClassName": vertex.invokable_class_name,
        "description": vertex.description,
        "operators": [_encode_operator(operator) for operator in vertex.operators],
        "inputs": [
            {
                "source": str(edge.source),
                "distributionPattern": edge.distribution_pattern.value,
                "shipStrategyName": edge.ship_strategy_name,
            }
            for edge in vertex.inputs
        ],
        "producedDataSets": [
            {"id": str(data_set.id), "resultPartitionType": data_set.result_partition_type.value}
            for data_set in vertex.produced_data_sets
        ],
    }
    if vertex.resources is not None:
        # Only when declared: a graph without resources is encoded as before they existed.
        encoded["resources"] = {
            "cpuCores": vertex.resources.cpu_cores,
            "taskHeapMemoryMb": vertex.resources.task_heap_mb,
            "taskOffHeapMemoryMb": vertex.resources.task_off_heap_mb,
            "managedMemoryMb": vertex.resources.managed_memory_mb,
        }
    return encoded


def _encode_operator(operator):
    return {
        "operatorId": str(operator.operator_id),
        "name": operator.name,
        "kind": operator.kind,
        "description": operator.description,
        "uid": operator.uid,
        "simulation": _encode_simulation(operator.simulation),
        "window": None
        if operator.window is None
        else {
            "assigner": operator.window.assigner,
            "time": operator.window.time,
            "size": operator.window.size,
            "slide": operator.window.slide,
            "gap": operator.window.gap,
        },
    }


def _encode_simulation(simulation):
    if simulation is None:
        return None
    if isinstance(simulation, BoundedSource):
        return {
            "type": "BoundedSource",
            "records": simulation.records,
            "recordsPerSecond": simulation.records_per_second,
        }
    if isinstance(simulation, UnboundedSource):
        return {"type": "UnboundedSource", "recordsPerSecond": simulation.records_per_second}
    if isinstance(simulation, ProcessingCost):
        return {
            "type": "ProcessingCost",
            "recordsPerSecond": simulation.records_per_second,
            "outputRatio": simulation.output_ratio,
        }
    if isinstance(simulation, DriverProgram):
        return {
            "type": "DriverProgram",
            "entry": simulation.entry,
            "source": simulation.source,
            "args": list(simulation.args),
            "configuration": dict(simulation.configuration),
        }
    raise TypeError(f"cannot encode simulation {simulation!r}")


def decode_job_graph(data):
    """
    :param bytes data: ``job.graph`` bytes.
    :raise InvalidJobGraphException: naming what is wrong and where.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidJobGraphException(f"Invalid JobGraph: not UTF-8 text ({error})") from error
    except json.JSONDecodeError as error:
        raise InvalidJobGraphException(f"Invalid JobGraph: not JSON ({error})") from error
    reader = _Reader()
    root = reader.object("", document)
    if root.get("format") != FORMAT:
        reader.fail("format", f"expected {FORMAT!r}, got {root.get('format')!r}")
    version = root.get("version")
    if version != VERSION:
        raise InvalidJobGraphException(
            f"Invalid JobGraph: unsupported format version {version!r} (this emulator reads "
            f"version {VERSION})"
        )
    reader.keys(
        "",
        root,
        required=("format", "version", "jobId", "jobName", "jobType", "vertices"),
        optional=("checkpointing", "savepointRestore", "userJars", "classpaths",
                  "userArtifacts", "jobConfiguration"),
    )
    vertices = [
        _decode_vertex(reader, f"vertices[{index}]", item)
        for index, item in enumerate(reader.array("vertices", root["vertices"]))
    ]
    graph_fields = {
        "job_id": reader.id(JobID, "jobId", root["jobId"]),
        "name": reader.string("jobName", root["jobName"]),
        "job_type": reader.enum(JobType, "jobType", root["jobType"]),
        "vertices": tuple(vertices),
        "user_jars": reader.strings("userJars", root.get("userJars", [])),
        "classpaths": reader.strings("classpaths", root.get("classpaths", [])),
        "user_artifacts": reader.string_map("userArtifacts", root.get("userArtifacts", {})),
        "job_configuration": reader.string_map(
            "jobConfiguration", root.get("jobConfiguration", {})
        ),
    }
    if "checkpointing" in root:
        graph_fields["checkpointing"] = _decode_checkpointing(reader, root["checkpointing"])
    if "savepointRestore" in root:
        graph_fields["savepoint_restore"] = _decode_savepoint(reader, root["savepointRestore"])
    return JobGraph(**graph_fields)


def _decode_vertex(reader, path, item):
    item = reader.object(path, item)
    reader.keys(
        path,
        item,
        required=("id", "name", "parallelism", "maxParallelism", "slotSharingGroup",
                  "invokableClassName", "operators", "inputs", "producedDataSets"),
        optional=("description", "resources"),
    )
    vertex_id = reader.id(JobVertexID, f"{path}.id", item["id"])
    inputs = []
    for index, edge in enumerate(reader.array(f"{path}.inputs", item["inputs"])):
        edge_path = f"{path}.inputs[{index}]"
        edge = reader.object(edge_path, edge)
        reader.keys(edge_path, edge, required=("source", "distributionPattern",
                                               "shipStrategyName"))
        inputs.append(
            JobEdge(
                reader.id(IntermediateDataSetID, f"{edge_path}.source", edge["source"]),
                vertex_id,
                reader.enum(DistributionPattern, f"{edge_path}.distributionPattern",
                            edge["distributionPattern"]),
                reader.string(f"{edge_path}.shipStrategyName", edge["shipStrategyName"]),
            )
        )
    produced = []
    for index, data_set in enumerate(
        reader.array(f"{path}.producedDataSets", item["producedDataSets"])
    ):
        set_path = f"{path}.producedDataSets[{index}]"
        data_set = reader.object(set_path, data_set)
        reader.keys(set_path, data_set, required=("id", "resultPartitionType"))
        produced.append(
            IntermediateDataSet(
                reader.id(IntermediateDataSetID, f"{set_path}.id", data_set["id"]),
                vertex_id,
                reader.enum(ResultPartitionType, f"{set_path}.resultPartitionType",
                            data_set["resultPartitionType"]),
            )
        )
    operators = [
        _decode_operator(reader, f"{path}.operators[{index}]", operator)
        for index, operator in enumerate(reader.array(f"{path}.operators", item["operators"]))
    ]
    return JobVertex(
        id=vertex_id,
        name=reader.string(f"{path}.name", item["name"]),
        parallelism=reader.integer(f"{path}.parallelism", item["parallelism"]),
        max_parallelism=reader.integer(f"{path}.maxParallelism", item["maxParallelism"]),
        slot_sharing_group=reader.string(f"{path}.slotSharingGroup", item["slotSharingGroup"]),
        invokable_class_name=reader.string(f"{path}.invokableClassName",
                                           item["invokableClassName"]),
        operators=tuple(operators),
        inputs=tuple(inputs),
        produced_data_sets=tuple(produced),
        description=reader.string(f"{path}.description", item.get("description", "")),
        resources=_decode_resources(reader, f"{path}.resources", item.get("resources")),
    )


def _decode_resources(reader, path, item):
    if item is None:
        return None
    item = reader.object(path, item)
    reader.keys(path, item, required=("cpuCores", "taskHeapMemoryMb"),
                optional=("taskOffHeapMemoryMb", "managedMemoryMb"))
    return reader.construct(
        path,
        ResourceSpec,
        cpu_cores=reader.number(f"{path}.cpuCores", item["cpuCores"]),
        task_heap_mb=reader.integer(f"{path}.taskHeapMemoryMb", item["taskHeapMemoryMb"]),
        task_off_heap_mb=reader.integer(f"{path}.taskOffHeapMemoryMb",
                                        item.get("taskOffHeapMemoryMb", 0)),
        managed_memory_mb=reader.integer(f"{path}.managedMemoryMb",
                                         item.get("managedMemoryMb", 0)),
    )


def _decode_operator(reader, path, item):
    item = reader.object(path, item)
    reader.keys(path, item, required=("operatorId", "name", "kind"),
                optional=("description", "uid", "simulation", "window"))
    return ChainedOperator(
        operator_id=reader.id(OperatorID, f"{path}.operatorId", item["operatorId"]),
        name=reader.string(f"{path}.name", item["name"]),
        kind=reader.string(f"{path}.kind", item["kind"]),
        description=reader.optional_string(f"{path}.description", item.get("description")),
        uid=reader.optional_string(f"{path}.uid", item.get("uid")),
        simulation=_decode_simulation(reader, f"{path}.simulation", item.get("simulation")),
        window=_decode_window(reader, f"{path}.window", item.get("window")),
    )


def _decode_simulation(reader, path, item):
    if item is None:
        return None
    item = reader.object(path, item)
    kind = item.get("type")
    if kind == "BoundedSource":
        reader.keys(path, item, required=("type", "records"), optional=("recordsPerSecond",))
        return reader.construct(
            path,
            BoundedSource,
            records=reader.integer(f"{path}.records", item["records"]),
            records_per_second=reader.optional_number(f"{path}.recordsPerSecond",
                                                      item.get("recordsPerSecond")),
        )
    if kind == "UnboundedSource":
        reader.keys(path, item, required=("type", "recordsPerSecond"))
        return reader.construct(
            path,
            UnboundedSource,
            records_per_second=reader.number(f"{path}.recordsPerSecond",
                                             item["recordsPerSecond"]),
        )
    if kind == "ProcessingCost":
        reader.keys(path, item, required=("type",), optional=("recordsPerSecond", "outputRatio"))
        return reader.construct(
            path,
            ProcessingCost,
            records_per_second=reader.optional_number(f"{path}.recordsPerSecond",
                                                      item.get("recordsPerSecond")),
            output_ratio=reader.number(f"{path}.outputRatio", item.get("outputRatio", 1.0)),
        )
    if kind == "DriverProgram":
        reader.keys(path, item, required=("type", "entry"),
                    optional=("source", "args", "configuration"))
        return reader.construct(
            path,
            DriverProgram,
            entry=reader.string(f"{path}.entry", item["entry"]),
            source=reader.optional_string(f"{path}.source", item.get("source")),
            args=reader.strings(f"{path}.args", item.get("args", [])),
            configuration=reader.string_map(f"{path}.configuration",
                                            item.get("configuration", {})),
        )
    reader.fail(f"{path}.type", "expected BoundedSource, UnboundedSource, ProcessingCost or "
                f"DriverProgram, got {kind!r}")


def _decode_window(reader, path, item):
    if item is None:
        return None
    item = reader.object(path, item)
    reader.keys(path, item, required=("assigner", "time"), optional=("size", "slide", "gap"))
    if item["time"] not in ("event", "processing", "count"):
        reader.fail(f"{path}.time", f"expected event, processing or count, got {item['time']!r}")
    return WindowSpec(
        assigner=reader.string(f"{path}.assigner", item["assigner"]),
        time=item["time"],
        size=reader.optional_integer(f"{path}.size", item.get("size")),
        slide=reader.optional_integer(f"{path}.slide", item.get("slide")),
        gap=reader.optional_integer(f"{path}.gap", item.get("gap")),
    )


def _decode_checkpointing(reader, item):
    path = "checkpointing"
    item = reader.object(path, item)
    reader.keys(path, item, required=("intervalMs",),
                optional=("mode", "timeoutMs", "minPauseMs", "maxConcurrent",
                          "tolerableFailures"))
    defaults = CheckpointSettings()
    return reader.construct(
        path,
        CheckpointSettings,
        interval_ms=reader.optional_integer(f"{path}.intervalMs", item["intervalMs"]),
        mode=reader.enum(CheckpointingMode, f"{path}.mode", item.get("mode", defaults.mode.value)),
        timeout_ms=reader.integer(f"{path}.timeoutMs", item.get("timeoutMs", defaults.timeout_ms)),
        min_pause_ms=reader.integer(f"{path}.minPauseMs",
                                    item.get("minPauseMs", defaults.min_pause_ms)),
        max_concurrent=reader.integer(f"{path}.maxConcurrent",
                                      item.get("maxConcurrent", defaults.max_concurrent)),
        tolerable_failures=reader.integer(f"{path}.tolerableFailures",
                                          item.get("tolerableFailures",
                                                   defaults.tolerable_failures)),
    )


def _decode_savepoint(reader, item):
    path = "savepointRestore"
    item = reader.object(path, item)
    reader.keys(path, item, required=(), optional=("path", "allowNonRestoredState",
                                                   "restoreMode"))
    allow = item.get("allowNonRestoredState", False)
    if not isinstance(allow, bool):
        reader.fail(f"{path}.allowNonRestoredState", f"expected true or false, got {allow!r}")
    return SavepointRestoreSettings(
        path=reader.optional_string(f"{path}.path", item.get("path")),
        allow_non_restored_state=allow,
        restore_mode=reader.enum(RestoreMode, f"{path}.restoreMode",
                                 item.get("restoreMode", RestoreMode.NO_CLAIM.value)),
    )


class _Reader:
    """Typed access to decoded JSON that fails with the path of the offending field."""

    def fail(self, path, message):
        where = f"{path}: " if path else ""
        raise InvalidJobGraphException(f"Invalid JobGraph: {where}{message}")

    def object(self, path, value):
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_kind(value)}")
        return value

    def array(self, path, value):
        if not isinstance(value, list):
            self.fail(path, f"expected an array, got {_kind(value)}")
        return value

    def keys(self, path, value, required, optional=()):
        prefix = f"{path}." if path else ""
        for key in required:
            if key not in value:
                self.fail(f"{prefix}{key}", "missing")
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            self.fail(path, f"unknown field {unknown[0]!r}")

    def string(self, path, value):
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {_kind(value)}")
        return value

    def optional_string(self, path, value):
        return None if value is None else self.string(path, value)

    def strings(self, path, value):
        return tuple(
            self.string(f"{path}[{index}]", item)
            for index, item in enumerate(self.array(path, value))
        )

    def string_map(self, path, value):
        value = self.object(path, value)
        return {key: self.string(f"{path}.{key}", item) for key, item in sorted(value.items())}

    def integer(self, path, value):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected an integer, got {_kind(value)}")
        return value

    def optional_integer(self, path, value):
        return None if value is None else self.integer(path, value)

    def number(self, path, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number, got {_kind(value)}")
        return value

    def optional_number(self, path, value):
        return None if value is None else self.number(path, value)

    def enum(self, enum, path, value):
        if value not in {member.value for member in enum}:
            allowed = ", ".join(member.value for member in enum)
            self.fail(path, f"expected one of {allowed}, got {value!r}")
        return enum(value)

    def id(self, cls, path, value):
        value = self.string(path, value)
        try:
            return cls.parse(value)
        except ValueError as error:
            self.fail(path, str(error))

    def construct(self, path, cls, **fields):
        try:
            return cls(**fields)
        except ValueError as error:
            self.fail(path, str(error))


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "an array"
    return "an object"
