"""
The DataStream API programs are written against: build a pipeline on a
:class:`StreamExecutionEnvironment`, then ``execute`` it.  User functions are recorded, never
called; the emulator simulates the work from the sources' and operators' simulation settings.
"""

from flinkyarn.api.datastream import (
    ConnectedStreams,
    DataStream,
    DataStreamSink,
    DataStreamSource,
    KeyedStream,
    SingleOutputStreamOperator,
    WindowedStream,
)
from flinkyarn.api.environment import (
    DEFAULT_JOB_NAME,
    IPipelineExecutor,
    StreamExecutionEnvironment,
)
from flinkyarn.api.parameter_tool import ParameterTool
from flinkyarn.api.windows import (
    EventTimeSessionWindows,
    GlobalWindows,
    ProcessingTimeSessionWindows,
    SlidingEventTimeWindows,
    SlidingProcessingTimeWindows,
    TumblingEventTimeWindows,
    TumblingProcessingTimeWindows,
)
from flinkyarn.graph.job_settings import (
    CheckpointingMode,
    RestoreMode,
    RuntimeExecutionMode,
    SavepointRestoreSettings,
)
from flinkyarn.graph.simulation import BoundedSource, ProcessingCost, UnboundedSource

__all__ = [
    "StreamExecutionEnvironment",
    "IPipelineExecutor",
    "DEFAULT_JOB_NAME",
    "DataStream",
    "DataStreamSource",
    "SingleOutputStreamOperator",
    "KeyedStream",
    "WindowedStream",
    "ConnectedStreams",
    "DataStreamSink",
    "ParameterTool",
    "BoundedSource",
    "UnboundedSource",
    "ProcessingCost",
    "CheckpointingMode",
    "RuntimeExecutionMode",
    "SavepointRestoreSettings",
    "RestoreMode",
    "TumblingEventTimeWindows",
    "TumblingProcessingTimeWindows",
    "SlidingEventTimeWindows",
    "SlidingProcessingTimeWindows",
    "EventTimeSessionWindows",
    "ProcessingTimeSessionWindows",
    "GlobalWindows",
]
