"""
:class:`StreamExecutionEnvironment`: where a program builds its pipeline and hands the compiled
JobGraph to an :class:`IPipelineExecutor`.

How programs reach the runtime.  A program calls
:meth:`StreamExecutionEnvironment.get_execution_environment` and, at the end,
:meth:`~StreamExecutionEnvironment.execute`.  Whoever runs the program (the CLI client, an
application-mode JobManager, a test) first installs a *context* with
:meth:`StreamExecutionEnvironment.install_context`: a factory that makes environments bound to
its executor, id generator and configuration.  ``get_execution_environment`` returns the
innermost installed context's environment, or a local one without an executor, whose
``execute`` raises ``No cluster to execute on: ...``.  Contexts live in a
:mod:`contextvars` variable, so they follow the running context (asyncio tasks see their own)::

    uninstall = StreamExecutionEnvironment.install_context(
        lambda configuration: StreamExecutionEnvironment(configuration, executor, ids))
    try:
        result = program_main(args)
    finally:
        uninstall()

``execute`` returns what the executor's ``execute`` returns (it may be a Deferred; a program
that runs several jobs one after the other should then chain on it).  Jobs are deterministic:
the JobID comes from the environment's seeded :class:`~flinkyarn.ids.IdGenerator` (or from
``$internal.pipeline.job-id``), and JobVertexIDs from the pipeline alone.
"""

import contextvars

from zope.interface import Interface

from flinkyarn.api.datastream import DataStreamSource
from flinkyarn.api.stream_graph_generator import generate_stream_graph, job_type_for
from flinkyarn.api.transformations import Transformation, TransformationKind
from flinkyarn.config import Configuration, IllegalConfigurationException
from flinkyarn.graph.errors import IllegalArgumentException, IllegalStateException
from flinkyarn.graph.job_graph_generator import create_job_graph
from flinkyarn.graph.job_settings import (
    CheckpointingMode,
    CheckpointSettings,
    RestoreMode,
    RuntimeExecutionMode,
    SavepointRestoreSettings,
)
from flinkyarn.graph.key_groups import MAX_PARALLELISM_DEFAULT, UPPER_BOUND_MAX_PARALLELISM
from flinkyarn.graph.simulation import BoundedSource, UnboundedSource
from flinkyarn.graph.stream_graph import SOURCE_OPERATOR_STREAM_TASK, SOURCE_STREAM_TASK
from flinkyarn.ids import IdGenerator, JobID

__all__ = ["IPipelineExecutor", "StreamExecutionEnvironment", "DEFAULT_JOB_NAME"]

#: ``StreamGraphGenerator.DEFAULT_STREAMING_JOB_NAME``.
DEFAULT_JOB_NAME = "Flink Streaming Job"

# The configuration keys an environment reads (typed reads through flinkyarn.config).
PARALLELISM_DEFAULT = "parallelism.default"
MAX_PARALLELISM = "pipeline.max-parallelism"
PIPELINE_NAME = "pipeline.name"
OPERATOR_CHAINING = "pipeline.operator-chaining"
#: Flink 2.x's spelling of ``pipeline.operator-chaining``; wins when both are set.
OPERATOR_CHAINING_2X = "pipeline.operator-chaining.enabled"
RUNTIME_MODE = "execution.runtime-mode"
CHECKPOINTING_INTERVAL = "execution.checkpointing.interval"
CHECKPOINTING_MODE = "execution.checkpointing.mode"
FIXED_JOB_ID = "$internal.pipeline.job-id"
PIPELINE_JARS = "pipeline.jars"
PIPELINE_CLASSPATHS = "pipeline.classpaths"
SAVEPOINT_PATH = "execution.savepoint.path"
SAVEPOINT_IGNORE_UNCLAIMED_STATE = "execution.savepoint.ignore-unclaimed-state"
SAVEPOINT_RESTORE_MODE = "execution.savepoint-restore-mode"


def _choice(configuration, key, enum, default):
    value = configuration.get_str(key, default).strip().upper()
    if value not in {member.value for member in enum}:
        allowed = ", ".join(member.value for member in enum)
        raise IllegalConfigurationException(
            f"Could not parse value '{configuration.get_raw(key)}' for key '{key}'. "
            f"Expected one of {allowed}."
        )
    return enum(value)

_CONTEXTS = contextvars.ContextVar("flinkyarn_context_environments", default=())


class IPipelineExecutor(Interface):
    """Runs compiled jobs on a cluster: what ``execute`` hands a JobGraph to."""

    def execute(job_graph):
        """
        Submit ``job_graph`` and wait for the job to end (attached execution).

        :return: the job's result, or a Deferred that fires with it.
        """

    def execute_async(job_graph):
        """
        Submit ``job_graph`` without waiting for it to end (detached execution).

        :return: a handle on the submitted job, or a Deferred that fires with one.
        """


_PROCESS_IDS = IdGenerator(0)


class StreamExecutionEnvironment:
    """
    :param configuration: a :class:`~flinkyarn.config.Configuration` or a key → value mapping;
        the environment reads ``parallelism.default``, ``pipeline.max-parallelism``,
        ``pipeline.name``, ``pipeline.operator-chaining``, ``execution.runtime-mode``,
        ``execution.checkpointing.interval``/``.mode``, ``$internal.pipeline.job-id``,
        ``pipeline.jars``, ``pipeline.classpaths`` and the ``execution.savepoint.*`` keys.
    :raise IllegalConfigurationException: naming the key of a value that does not parse.
    :param executor: the :class:`IPipelineExecutor`, or ``None`` for a local environment.
    :param IdGenerator id_generator: makes JobIDs; if not given, one generator shared by every
        environment of the process that has none (seeded 0), so that two environments never
        give their jobs the same id, as Flink's random JobIDs never collide.
    """

    def __init__(self, configuration=None, executor=None, id_generator=None):
        self._configuration = Configuration(configuration)
        self._executor = executor
        self._ids = id_generator if id_generator is not None else _PROCESS_IDS
        conf = self._configuration
        self._parallelism = self._checked_parallelism(conf.get_int(PARALLELISM_DEFAULT, 1))
        self._max_parallelism = conf.get_int(MAX_PARALLELISM, MAX_PARALLELISM_DEFAULT)
        chaining = conf.get_bool(OPERATOR_CHAINING_2X, None)
        self._chaining_enabled = (
            conf.get_bool(OPERATOR_CHAINING, True) if chaining is None else chaining
        )
        self._runtime_mode = _choice(conf, RUNTIME_MODE, RuntimeExecutionMode, "STREAMING")
        self._checkpointing = CheckpointSettings()
        interval = conf.get_duration(CHECKPOINTING_INTERVAL, None)
        if interval is not None:
            self.enable_checkpointing(
                interval.nanos // 1_000_000,
                _choice(conf, CHECKPOINTING_MODE, CheckpointingMode, "EXACTLY_ONCE"),
            )
        self._savepoint_restore = SavepointRestoreSettings(
            path=conf.get_str(SAVEPOINT_PATH, None),
            allow_non_restored_state=conf.get_bool(SAVEPOINT_IGNORE_UNCLAIMED_STATE, False),
            restore_mode=_choice(conf, SAVEPOINT_RESTORE_MODE, RestoreMode, "NO_CLAIM"),
        )
        self._user_jars = list(conf.get_list(PIPELINE_JARS, None) or ())
        self._classpaths = list(conf.get_list(PIPELINE_CLASSPATHS, None) or ())
        self._user_artifacts = {}
        self._transformations = []
        self._next_id = 1

    # -- contexts ---------------------------------------------------------------------------

    @classmethod
    def install_context(cls, factory):
        """
        Make :meth:`get_execution_environment` return ``factory(configuration)`` until the
        returned callable is called.  Contexts nest: the latest installed wins.

        :return: a callable that uninstalls this context (calling it twice is harmless).
        """
        entry = (object(), factory)
        _CONTEXTS.set(_CONTEXTS.get() + (entry,))

        def uninstall():
            _CONTEXTS.set(tuple(item for item in _CONTEXTS.get() if item is not entry))

        return uninstall

    @classmethod
    def get_execution_environment(cls, configuration=None):
        """
        :return: the installed context's environment, else a local one (which cannot execute).
        """
        contexts = _CONTEXTS.get()
        if contexts:
            return contexts[-1][1](configuration)
        return cls(configuration)

    # -- settings ---------------------------------------------------------------------------

    @staticmethod
    def _checked_parallelism(parallelism):
        if isinstance(parallelism, bool) or not isinstance(parallelism, int) or parallelism < 1:
            raise IllegalArgumentException(
                f"The parallelism must be at least one, got {parallelism!r}."
            )
        return parallelism

    def get_configuration(self):
        """:return: the :class:`~flinkyarn.config.Configuration` the environment was made
        with."""
        return self._configuration

    def set_parallelism(self, parallelism):
        """Set the parallelism of operators that set none."""
        self._parallelism = self._checked_parallelism(parallelism)
        return self

    def get_parallelism(self):
        """:return: the default parallelism (``parallelism.default``, else 1)."""
        return self._parallelism

    def set_max_parallelism(self, max_parallelism):
        """:raise IllegalArgumentException: outside (0, 32768]."""
        if isinstance(max_parallelism, bool) or not isinstance(max_parallelism, int) \
                or not 0 < max_parallelism <= UPPER_BOUND_MAX_PARALLELISM:
            raise IllegalArgumentException(
                "maxParallelism is out of bounds 0 < maxParallelism <= "
                f"{UPPER_BOUND_MAX_PARALLELISM}. Found: {max_parallelism}"
            )
        self._max_parallelism = max_parallelism
        return self

    def get_max_parallelism(self):
        """:return: the default max parallelism, -1 when not set."""
        return self._max_parallelism

    def disable_operator_chaining(self):
        self._chaining_enabled = False
        return self

    def is_chaining_enabled(self):
        return self._chaining_enabled

    def set_runtime_mode(self, mode):
        """:param mode: STREAMING (default), BATCH or AUTOMATIC."""
        self._runtime_mode = RuntimeExecutionMode(str(mode).upper())
        return self

    def enable_checkpointing(self, interval_ms, mode=CheckpointingMode.EXACTLY_ONCE):
        """Checkpoint every ``interval_ms`` milliseconds."""
        if isinstance(interval_ms, bool) or not isinstance(interval_ms, int) or interval_ms < 1:
            raise IllegalArgumentException(
                f"The checkpoint interval must be a positive number of milliseconds, "
                f"got {interval_ms!r}."
            )
        self._checkpointing = CheckpointSettings(interval_ms=interval_ms,
                                                 mode=CheckpointingMode(str(mode).upper()))
        return self

    def get_checkpoint_settings(self):
        return self._checkpointing

    def set_savepoint_restore_settings(self, settings):
        """:param SavepointRestoreSettings settings: the savepoint to start from."""
        self._savepoint_restore = settings
        return self

    def add_jars(self, *jars):
        """Add jars to ship with the job (``pipeline.jars``)."""
        self._user_jars.extend(str(jar) for jar in jars)
        return self

    def register_cached_file(self, file_path, name):
        """Ship a file with the job under ``name`` (a user artifact)."""
        self._user_artifacts[str(name)] = str(file_path)
        return self

    # -- sources ----------------------------------------------------------------------------

    def _new_transformation(self, kind, name, **fields):
        transformation = Transformation(id=self._next_id, kind=kind, name=name, **fields)
        self._next_id += 1
        return transformation

    def _register(self, transformation):
        self._transformations.append(transformation)

    def _source(self, name, simulation, invokable, operator_kind, function=None, parallel=True):
        if not isinstance(simulation, (BoundedSource, UnboundedSource)):
            raise IllegalArgumentException(
                f"A source needs a BoundedSource or UnboundedSource, got {simulation!r}."
            )
        transformation = self._new_transformation(
            TransformationKind.SOURCE,
            name,
            operator_kind=operator_kind,
            simulation=simulation,
            function=function,
            parallel=parallel,
            invokable_class_name=invokable,
        )
        return DataStreamSource(self, transformation)

    def from_sequence(self, start, end, records_per_second=None):
        """
        The numbers ``start`` to ``end`` inclusive, split over a parallel FLIP-27 source
        (``Source: Sequence Source``).
        """
        if end < start:
            raise IllegalArgumentException("Start of sequence must not be greater than the end")
        return self._source("Sequence Source",
                            BoundedSource(end - start + 1, records_per_second),
                            SOURCE_OPERATOR_STREAM_TASK, "source")

    def from_collection(self, collection, records_per_second=None):
        """
        The elements of ``collection`` from a non-parallel source (parallelism 1, as Flink's
        ``fromCollection``: ``Source: Collection Source``).
        """
        elements = list(collection)
        return self._source("Collection Source", BoundedSource(len(elements), records_per_second),
                            SOURCE_STREAM_TASK, "source", function=elements, parallel=False)

    def from_elements(self, *elements):
        """:meth:`from_collection` of the given elements."""
        return self.from_collection(elements)

    def add_source(self, source, source_name="Custom Source"):
        """
        A (legacy ``SourceFunction``) source described by a
        :class:`~flinkyarn.graph.simulation.BoundedSource` or
        :class:`~flinkyarn.graph.simulation.UnboundedSource`.
        """
        return self._source(source_name, source, SOURCE_STREAM_TASK, "source")

    def from_source(self, source, watermark_strategy=None, source_name="Custom Source"):
        """
        A FLIP-27 source described by a :class:`~flinkyarn.graph.simulation.BoundedSource` or
        :class:`~flinkyarn.graph.simulation.UnboundedSource`; the watermark strategy is kept
        for the program's sake only.
        """
        return self._source(source_name, source, SOURCE_OPERATOR_STREAM_TASK, "source",
                            function=watermark_strategy)

    # -- compilation and execution ----------------------------------------------------------

    def get_stream_graph(self, job_name=None, clear_transformations=True):
        """
        Compile the pipeline built so far.  Like Flink's ``getStreamGraph()``, this forgets the
        pipeline unless ``clear_transformations`` is false, so that a program can build and
        execute another job.

        :raise IllegalStateException: ``No operators defined in streaming topology. Cannot
            execute.`` when nothing but sources was defined.
        """
        if not self._transformations:
            raise IllegalStateException(
                "No operators defined in streaming topology. Cannot execute."
            )
        transformations = list(self._transformations)
        graph = generate_stream_graph(
            transformations,
            job_name=job_name or self._configuration.get_str(PIPELINE_NAME, DEFAULT_JOB_NAME),
            job_type=job_type_for(self._runtime_mode, transformations),
            default_parallelism=self._parallelism,
            default_max_parallelism=self._max_parallelism,
            chaining_enabled=self._chaining_enabled,
            checkpointing=self._checkpointing,
            savepoint_restore=self._savepoint_restore,
            job_configuration=dict(self._configuration.items()),
            user_jars=self._user_jars,
            classpaths=self._classpaths,
            user_artifacts=self._user_artifacts,
        )
        if clear_transformations:
            self._transformations = []
        return graph

    def get_job_graph(self, job_name=None, clear_transformations=True):
        """
        :return: the :class:`~flinkyarn.graph.job_graph.JobGraph` of the pipeline built so far,
            with a new JobID (see :meth:`get_stream_graph` on clearing).
        """
        stream_graph = self.get_stream_graph(job_name, clear_transformations)
        return create_job_graph(stream_graph, self._next_job_id())

    def _next_job_id(self):
        fixed = self._configuration.get_str(FIXED_JOB_ID, None)
        if fixed is not None:
            try:
                return JobID.parse(fixed)
            except ValueError as error:
                raise IllegalArgumentException(str(error)) from None
        return self._ids.job_id()

    def _require_executor(self):
        if self._executor is None:
            raise IllegalStateException(
                "No cluster to execute on: this is a local StreamExecutionEnvironment without "
                "an executor. Run the program through the flinkyarn client or an application "
                "cluster, or install a context with StreamExecutionEnvironment.install_context."
            )
        return self._executor

    def execute(self, job_name=None):
        """
        Compile the pipeline and run it on the executor, waiting for the job (attached).

        :return: what the executor's ``execute`` returns.
        """
        if not self._transformations:
            self.get_stream_graph(job_name)
        executor = self._require_executor()
        return executor.execute(self.get_job_graph(job_name))

    def execute_async(self, job_name=None):
        """
        Compile the pipeline and submit it without waiting (detached).

        :return: what the executor's ``execute_async`` returns.
        """
        if not self._transformations:
            self.get_stream_graph(job_name)
        executor = self._require_executor()
        return executor.execute_async(self.get_job_graph(job_name))
