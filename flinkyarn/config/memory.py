"""
Flink's process memory model (FLIP-49, FLIP-116): how a TaskExecutor's and the JobManager's
memory components are derived from the configuration, exactly as ``TaskExecutorProcessUtils``,
``JobManagerProcessUtils``, ``ProcessMemoryUtils`` and the ``*FlinkMemoryUtils`` derive them —
same order of derivation, same Java float fractions and ``BigDecimal`` rounding (so the byte
counts equal Flink's), same error messages — and the JVM arguments and ``-D`` dynamic properties
Flink puts on container command lines.

Worked example, the shipped 1728m TaskManager: JVM Overhead = max(0.1 × 1728m, 192m) = 192m,
Metaspace 256m, Total Flink Memory 1280m, network 0.1 × 1280m, managed 0.4 × 1280m, framework
heap and off-heap 128m each, task heap the rest. The fractions are Java floats (0.1f widened to a
double is 0.10000000149011612), so network is 134217730 bytes (128 MiB + 2), managed 536870920
(512 MiB + 8), task heap 402653174 (384 MiB − 10) and the JVM gets
``-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456``,
as a real Flink TaskManager does. The shipped 1600m JobManager: overhead 192m, Metaspace 256m,
off-heap 128m, heap exactly 1024m.

Legacy network buffers (``taskmanager.network.numberOfBuffers``) and extended resources (GPUs)
are not modelled.
"""

import math

from attrs import frozen

from flinkyarn.config import options as o
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.java_hash_map import hash_map_order
from flinkyarn.config.values import JAVA_INT_MAX, MemorySize, format_java_double

__all__ = [
    "TaskExecutorProcessSpec",
    "JobManagerProcessSpec",
    "task_executor_cpu_cores",
    "yarn_task_executor_vcores",
]

_EXTERNAL_RESOURCE_LIST_KEY = "external-resources"
_NO_EXTERNAL_RESOURCES = "none"


@frozen
class TaskExecutorProcessSpec:
    """
    The resources of one TaskExecutor process (Flink's ``TaskExecutorProcessSpec``).

    :ivar float cpu_cores:
    :ivar MemorySize framework_heap:
    :ivar MemorySize framework_off_heap:
    :ivar MemorySize task_heap:
    :ivar MemorySize task_off_heap:
    :ivar MemorySize network:
    :ivar MemorySize managed:
    :ivar MemorySize jvm_metaspace:
    :ivar MemorySize jvm_overhead:
    :ivar int num_slots:
    """

    cpu_cores: float
    framework_heap: MemorySize
    framework_off_heap: MemorySize
    task_heap: MemorySize
    task_off_heap: MemorySize
    network: MemorySize
    managed: MemorySize
    jvm_metaspace: MemorySize
    jvm_overhead: MemorySize
    num_slots: int = 1

    @classmethod
    def from_config(cls, config, *, cpu_cores=None):
        """
        Derive the spec as Flink's active resource managers do: the legacy
        ``taskmanager.heap.size``/``.mb`` stand for ``taskmanager.memory.process.size`` when no
        process size is set; then fine-grained task heap + managed, else
        ``taskmanager.memory.flink.size``, else ``taskmanager.memory.process.size`` decide.

        :param config: a :class:`~flinkyarn.config.configuration.Configuration`.
        :param cpu_cores: the cores to use (Flink's ``withCpuCores``); by default
            :func:`task_executor_cpu_cores`.
        :raise IllegalConfigurationException: ``TaskManager memory configuration failed: …``
            when the sizes cannot be read or do not add up, worded as Flink words it.
        """
        config = _with_legacy_heap(
            config, o.TM_TOTAL_PROCESS_MEMORY, o.TM_LEGACY_HEAP_MEMORY, o.TM_LEGACY_HEAP_MEMORY_MB,
            "TaskManager failed to map legacy JVM heap option to the new one: ")
        try:
            flink, metaspace, overhead = _derive_process_memory(config, _TM_OPTIONS)
            cores = task_executor_cpu_cores(config) if cpu_cores is None else float(cpu_cores)
        except IllegalConfigurationException as error:
            raise IllegalConfigurationException(
                "TaskManager memory configuration failed: " + error.message) from None
        return cls(
            cpu_cores=cores,
            framework_heap=flink.framework_heap,
            framework_off_heap=flink.framework_off_heap,
            task_heap=flink.task_heap,
            task_off_heap=flink.task_off_heap,
            network=flink.network,
            managed=flink.managed,
            jvm_metaspace=metaspace,
            jvm_overhead=overhead,
            num_slots=config.get(o.NUM_TASK_SLOTS),
        )

    @classmethod
    def for_yarn(cls, config):
        """
        :return: the spec of a TaskExecutor in a YARN container: :meth:`from_config` with the
            whole vcores of :func:`yarn_task_executor_vcores`.
        """
        return cls.from_config(config, cpu_cores=yarn_task_executor_vcores(config))

    @property
    def total_flink_memory(self):
        """Framework and task heap and off-heap, network and managed memory."""
        return (self.framework_heap + self.framework_off_heap + self.task_heap + self.task_off_heap
                + self.network + self.managed)

    @property
    def total_process_memory(self):
        """Total Flink Memory plus JVM Metaspace and JVM Overhead: the container size."""
        return self.total_flink_memory + self.jvm_metaspace + self.jvm_overhead

    @property
    def jvm_heap(self):
        """``-Xmx``/``-Xms``: framework heap plus task heap."""
        return self.framework_heap + self.task_heap

    @property
    def jvm_direct_memory(self):
        """``-XX:MaxDirectMemorySize``: framework and task off-heap plus network memory."""
        return self.framework_off_heap + self.task_off_heap + self.network

    @property
    def container_memory_mb(self):
        """The YARN container memory Flink asks for: Total Process Memory in whole MiB."""
        return self.total_process_memory.mebibytes

    def jvm_parameters(self):
        """
        :return: ``-Xmx… -Xms… -XX:MaxDirectMemorySize=… -XX:MaxMetaspaceSize=…``, in bytes.
        """
        return _jvm_parameters(self.jvm_heap, self.jvm_direct_memory, self.jvm_metaspace, True)

    def dynamic_configs(self):
        """
        :return: the configuration a TaskExecutor is started with on its command line (Flink's
            ``generateDynamicConfigsStr``), key → value, in the order Flink's ``HashMap``
            prints them.
        """
        return _in_hash_map_order({
            o.CPU_CORES.key: format_java_double(self.cpu_cores),
            o.TM_FRAMEWORK_HEAP_MEMORY.key: _bytes(self.framework_heap),
            o.TM_FRAMEWORK_OFF_HEAP_MEMORY.key: _bytes(self.framework_off_heap),
            o.TM_TASK_HEAP_MEMORY.key: _bytes(self.task_heap),
            o.TM_TASK_OFF_HEAP_MEMORY.key: _bytes(self.task_off_heap),
            o.TM_NETWORK_MEMORY_MIN.key: _bytes(self.network),
            o.TM_NETWORK_MEMORY_MAX.key: _bytes(self.network),
            o.TM_MANAGED_MEMORY_SIZE.key: _bytes(self.managed),
            o.TM_JVM_METASPACE.key: _bytes(self.jvm_metaspace),
            o.TM_JVM_OVERHEAD_MIN.key: _bytes(self.jvm_overhead),
            o.TM_JVM_OVERHEAD_MAX.key: _bytes(self.jvm_overhead),
            o.NUM_TASK_SLOTS.key: str(self.num_slots),
            _EXTERNAL_RESOURCE_LIST_KEY: _NO_EXTERNAL_RESOURCES,
        })

    def dynamic_properties(self):
        """:return: :meth:`dynamic_configs` as Flink writes them: ``-D key=value``, space-joined."""
        return _assemble(self.dynamic_configs())


@frozen
class JobManagerProcessSpec:
    """
    The memory of the JobManager process (Flink's ``JobManagerProcessSpec``).

    :ivar MemorySize jvm_heap:
    :ivar MemorySize off_heap:
    :ivar MemorySize jvm_metaspace:
    :ivar MemorySize jvm_overhead:
    """

    jvm_heap: MemorySize
    off_heap: MemorySize
    jvm_metaspace: MemorySize
    jvm_overhead: MemorySize

    @classmethod
    def from_config(cls, config):
        """
        Derive the spec as the YARN client does (``processSpecFromConfigWithNewOptionToInterpret
        LegacyHeap(config, jobmanager.memory.process.size)``): the legacy
        ``jobmanager.heap.size``/``.mb`` stand for the process size when none is set; then
        ``jobmanager.memory.heap.size``, else ``jobmanager.memory.flink.size``, else
        ``jobmanager.memory.process.size`` decide.

        :raise IllegalConfigurationException: ``JobManager memory configuration failed: …`` when
            the sizes cannot be read or do not add up, worded as Flink words it.
        """
        try:
            config = _with_legacy_heap(
                config, o.JM_TOTAL_PROCESS_MEMORY, o.JM_LEGACY_HEAP_MEMORY,
                o.JM_LEGACY_HEAP_MEMORY_MB, "")
            flink, metaspace, overhead = _derive_process_memory(config, _JM_OPTIONS)
        except IllegalConfigurationException as error:
            raise IllegalConfigurationException(
                "JobManager memory configuration failed: " + error.message) from None
        return cls(flink.jvm_heap, flink.off_heap, metaspace, overhead)

    @property
    def total_flink_memory(self):
        """JVM heap plus off-heap memory."""
        return self.jvm_heap + self.off_heap

    @property
    def total_process_memory(self):
        """Total Flink Memory plus JVM Metaspace and JVM Overhead: the AM container size."""
        return self.total_flink_memory + self.jvm_metaspace + self.jvm_overhead

    @property
    def jvm_direct_memory(self):
        """``-XX:MaxDirectMemorySize`` when the limit is enabled: the off-heap memory."""
        return self.off_heap

    @property
    def container_memory_mb(self):
        """The AM container memory Flink asks for: Total Process Memory in whole MiB."""
        return self.total_process_memory.mebibytes

    def jvm_parameters(self, config=None):
        """
        :param config: read for ``jobmanager.memory.enable-jvm-direct-memory-limit`` (off by
            default, as in Flink).
        :return: ``-Xmx… -Xms… [-XX:MaxDirectMemorySize=…] -XX:MaxMetaspaceSize=…``, in
            bytes.
        """
        limit = bool(config is not None and config.get(o.JM_JVM_DIRECT_MEMORY_LIMIT_ENABLED))
        return _jvm_parameters(self.jvm_heap, self.jvm_direct_memory, self.jvm_metaspace, limit)

    def dynamic_configs(self):
        """
        :return: the memory configuration the JobManager is started with on its command line
            (Flink's ``JobManagerProcessUtils.generateDynamicConfigsStr``), in Flink's order.
        """
        return _in_hash_map_order({
            o.JM_JVM_HEAP_MEMORY.key: _bytes(self.jvm_heap),
            o.JM_OFF_HEAP_MEMORY.key: _bytes(self.off_heap),
            o.JM_JVM_METASPACE.key: _bytes(self.jvm_metaspace),
            o.JM_JVM_OVERHEAD_MIN.key: _bytes(self.jvm_overhead),
            o.JM_JVM_OVERHEAD_MAX.key: _bytes(self.jvm_overhead),
        })

    def dynamic_properties(self):
        """:return: :meth:`dynamic_configs` as ``-D key=value`` joined by spaces."""
        return _assemble(self.dynamic_configs())


def task_executor_cpu_cores(config, fallback=-1.0):
    """
    Flink's ``getCpuCoresWithFallback``: ``taskmanager.cpu.cores`` if set, else ``fallback`` if
    positive, else the number of slots.

    :raise IllegalConfigurationException: if the result is not positive.
    """
    if config.contains(o.CPU_CORES):
        cores = config.get(o.CPU_CORES)
    elif fallback > 0:
        cores = float(fallback)
    else:
        cores = float(config.get(o.NUM_TASK_SLOTS))
    if not cores > 0:
        raise IllegalConfigurationException(
            "TaskExecutors need to be started with a positive number of CPU cores. "
            f"Please configure {o.CPU_CORES.key} accordingly.")
    return cores


def yarn_task_executor_vcores(config):
    """
    The vcores of a TaskManager container (``YarnWorkerResourceSpecFactory.getDefaultCpus``):
    ``taskmanager.cpu.cores`` if set, else ``yarn.containers.vcores`` if positive, else the
    number of slots; rounded up to a whole number, at least 1.

    Note the precedence: Flink's code reads ``taskmanager.cpu.cores`` before
    ``yarn.containers.vcores`` (``getCpuCoresWithFallback`` takes the YARN value as fallback),
    although the documentation of ``yarn.containers.vcores`` only mentions slots.

    :raise IllegalConfigurationException: for a non-positive or too large number of cores.
    """
    cores = task_executor_cpu_cores(config, config.get(o.YARN_CONTAINER_VCORES))
    vcores = max(math.ceil(cores), 1)
    if vcores > JAVA_INT_MAX:
        raise IllegalConfigurationException(
            f"The amount of cpu cores {vcores} cannot exceed Integer.MAX_VALUE: {JAVA_INT_MAX}")
    return vcores


# ---------------------------------------------------------------------------------------------
# The derivation, following ProcessMemoryUtils and the *FlinkMemoryUtils.


@frozen
class _ProcessOptions:
    fine_grained: tuple
    total_flink: o.Option
    total_process: o.Option
    metaspace: o.Option
    overhead_min: o.Option
    overhead_max: o.Option
    overhead_fraction: o.Option
    flink_memory: object  # the _TaskExecutorFlinkMemory or _JobManagerFlinkMemory class


@frozen
class _TaskExecutorFlinkMemory:
    framework_heap: MemorySize
    framework_off_heap: MemorySize
    task_heap: MemorySize
    task_off_heap: MemorySize
    network: MemorySize
    managed: MemorySize

    @property
    def total(self):
        return (self.framework_heap + self.framework_off_heap + self.task_heap + self.task_off_heap
                + self.network + self.managed)

    @classmethod
    def from_fine_grained(cls, config):
        task_heap = _memory(config, o.TM_TASK_HEAP_MEMORY)
        managed = _memory(config, o.TM_MANAGED_MEMORY_SIZE)
        framework_heap = _memory(config, o.TM_FRAMEWORK_HEAP_MEMORY)
        framework_off_heap = _memory(config, o.TM_FRAMEWORK_OFF_HEAP_MEMORY)
        task_off_heap = _memory(config, o.TM_TASK_OFF_HEAP_MEMORY)
        all_but_network = framework_heap + framework_off_heap + task_heap + task_off_heap + managed
        if config.contains(o.TM_TOTAL_FLINK_MEMORY):
            total_flink = _memory(config, o.TM_TOTAL_FLINK_MEMORY)
            if all_but_network > total_flink:
                raise _sum_exceeds_total_flink(framework_heap, framework_off_heap, task_heap,
                                               task_off_heap, managed, total_flink)
            network = total_flink - all_but_network
            _check_network_after_explicit_sizes(config, network)
        else:
            network = _with_inverse_fraction(all_but_network, _network_range(config))
        memory = cls(framework_heap, framework_off_heap, task_heap, task_off_heap, network, managed)
        memory._check_total_flink(config)
        return memory

    @classmethod
    def from_total_flink(cls, config, total_flink):
        framework_heap = _memory(config, o.TM_FRAMEWORK_HEAP_MEMORY)
        framework_off_heap = _memory(config, o.TM_FRAMEWORK_OFF_HEAP_MEMORY)
        task_off_heap = _memory(config, o.TM_TASK_OFF_HEAP_MEMORY)
        if config.contains(o.TM_TASK_HEAP_MEMORY):
            # Task heap given: managed memory first, network memory is the rest.
            task_heap = _memory(config, o.TM_TASK_HEAP_MEMORY)
            managed = _managed(config, total_flink)
            all_but_network = (framework_heap + framework_off_heap + task_heap + task_off_heap
                               + managed)
            if all_but_network > total_flink:
                raise _sum_exceeds_total_flink(framework_heap, framework_off_heap, task_heap,
                                               task_off_heap, managed, total_flink)
            network = total_flink - all_but_network
            _check_network_after_explicit_sizes(config, network)
        else:
            # Managed and network memory from their fractions, task heap is the rest.
            managed = _managed(config, total_flink)
            network = _with_fraction(total_flink, _network_range(config))
            all_but_task_heap = (framework_heap + framework_off_heap + task_off_heap + managed
                                 + network)
            if all_but_task_heap > total_flink:
                raise IllegalConfigurationException(
                    f"Sum of configured Framework Heap Memory ({_hr(framework_heap)}), "
                    f"Framework Off-Heap Memory ({_hr(framework_off_heap)}), "
                    f"Task Off-Heap Memory ({_hr(task_off_heap)}), "
                    f"Managed Memory ({_hr(managed)}) and Network Memory ({_hr(network)}) "
                    f"exceed configured Total Flink Memory ({_hr(total_flink)}).")
            task_heap = total_flink - all_but_task_heap
        memory = cls(framework_heap, framework_off_heap, task_heap, task_off_heap, network, managed)
        memory._check_total_flink(config)
        return memory

    def _check_total_flink(self, config):
        if not config.contains(o.TM_TOTAL_FLINK_MEMORY):
            return
        configured = _memory(config, o.TM_TOTAL_FLINK_MEMORY)
        if configured != self.total:
            raise IllegalConfigurationException(
                f"Configured and Derived Flink internal memory sizes (total {_hr(self.total)}) do "
                f"not add up to the configured Total Flink Memory size ({_hr(configured)}). "
                "Configured and Derived Flink internal memory sizes are: "
                f"Framework Heap Memory ({_hr(self.framework_heap)}), "
                f"Framework Off-Heap Memory ({_hr(self.framework_off_heap)}), "
                f"Task Heap Memory ({_hr(self.task_heap)}), "
                f"Task Off-Heap Memory ({_hr(self.task_off_heap)}), "
                f"Network Memory ({_hr(self.network)}), Managed Memory ({_hr(self.managed)}).")


@frozen
class _JobManagerFlinkMemory:
    jvm_heap: MemorySize
    off_heap: MemorySize

    @property
    def total(self):
        return self.jvm_heap + self.off_heap

    @classmethod
    def from_fine_grained(cls, config):
        jvm_heap = _memory(config, o.JM_JVM_HEAP_MEMORY)
        off_heap = _memory(config, o.JM_OFF_HEAP_MEMORY)
        if config.contains(o.JM_TOTAL_FLINK_MEMORY):
            total_flink = _memory(config, o.JM_TOTAL_FLINK_MEMORY)
            if config.contains(o.JM_OFF_HEAP_MEMORY):
                if jvm_heap + off_heap != total_flink:
                    raise IllegalConfigurationException(
                        f"Sum of the configured JVM Heap Memory ({_hr(jvm_heap)}) and the "
                        f"configured Off-heap Memory ({_hr(off_heap)}) does not match the "
                        f"configured Total Flink Memory ({_hr(total_flink)}). Please, make the "
                        "configuration consistent or configure only one option: either JVM Heap "
                        "or Total Flink Memory.")
            else:
                if total_flink < jvm_heap:
                    raise IllegalConfigurationException(
                        f"The configured JVM Heap Memory ({_hr(jvm_heap)}) exceeds the configured "
                        f"Total Flink Memory ({_hr(total_flink)}). Please, make the configuration "
                        "consistent or configure only one option: either JVM Heap or Total Flink "
                        "Memory.")
                off_heap = total_flink - jvm_heap
        return cls(jvm_heap, off_heap)

    @classmethod
    def from_total_flink(cls, config, total_flink):
        off_heap = _memory(config, o.JM_OFF_HEAP_MEMORY)
        if total_flink <= off_heap:
            raise IllegalConfigurationException(
                f"The configured Total Flink Memory ({_hr(total_flink)}) is less than the "
                f"configured Off-heap Memory ({_hr(off_heap)}).")
        return cls(total_flink - off_heap, off_heap)


_TM_OPTIONS = _ProcessOptions(
    fine_grained=(o.TM_TASK_HEAP_MEMORY, o.TM_MANAGED_MEMORY_SIZE),
    total_flink=o.TM_TOTAL_FLINK_MEMORY,
    total_process=o.TM_TOTAL_PROCESS_MEMORY,
    metaspace=o.TM_JVM_METASPACE,
    overhead_min=o.TM_JVM_OVERHEAD_MIN,
    overhead_max=o.TM_JVM_OVERHEAD_MAX,
    overhead_fraction=o.TM_JVM_OVERHEAD_FRACTION,
    flink_memory=_TaskExecutorFlinkMemory,
)

_JM_OPTIONS = _ProcessOptions(
    fine_grained=(o.JM_JVM_HEAP_MEMORY,),
    total_flink=o.JM_TOTAL_FLINK_MEMORY,
    total_process=o.JM_TOTAL_PROCESS_MEMORY,
    metaspace=o.JM_JVM_METASPACE,
    overhead_min=o.JM_JVM_OVERHEAD_MIN,
    overhead_max=o.JM_JVM_OVERHEAD_MAX,
    overhead_fraction=o.JM_JVM_OVERHEAD_FRACTION,
    flink_memory=_JobManagerFlinkMemory,
)


def _derive_process_memory(config, options):
    """:return: ``(flink memory, metaspace, overhead)`` (``memoryProcessSpecFromConfig``)."""
    if all(config.contains(option) for option in options.fine_grained):
        flink = options.flink_memory.from_fine_grained(config)
        metaspace, overhead = _metaspace_and_overhead_from_total_flink(config, options, flink.total)
    elif config.contains(options.total_flink):
        total_flink = _memory(config, options.total_flink)
        flink = options.flink_memory.from_total_flink(config, total_flink)
        metaspace, overhead = _metaspace_and_overhead_from_total_flink(config, options, total_flink)
    elif config.contains(options.total_process):
        total_process = _memory(config, options.total_process)
        metaspace, overhead = _metaspace_and_overhead_from_total_process(
            config, options, total_process)
        flink = options.flink_memory.from_total_flink(
            config, total_process - (metaspace + overhead))
    else:
        raise IllegalConfigurationException(
            "Either required fine-grained memory ("
            + " and ".join(option.key for option in options.fine_grained)
            + f"), or Total Flink Memory size ({options.total_flink.java_string()}), or Total "
            f"Process Memory size ({options.total_process.java_string()}) need to be configured "
            "explicitly.")
    return flink, metaspace, overhead


def _metaspace_and_overhead_from_total_process(config, options, total_process):
    metaspace = _memory(config, options.metaspace)
    overhead = _with_fraction(total_process, _overhead_range(config, options))
    if metaspace + overhead > total_process:
        raise IllegalConfigurationException(
            f"Sum of configured JVM Metaspace ({_hr(metaspace)}) and JVM Overhead "
            f"({_hr(overhead)}) exceed configured Total Process Memory ({_hr(total_process)}).")
    return metaspace, overhead


def _metaspace_and_overhead_from_total_flink(config, options, total_flink):
    metaspace = _memory(config, options.metaspace)
    if not config.contains(options.total_process):
        overhead = _with_inverse_fraction(total_flink + metaspace, _overhead_range(config, options))
        return metaspace, overhead
    total_process = _memory(config, options.total_process)
    if total_process < total_flink + metaspace:
        # Flink's message has the double space.
        raise IllegalConfigurationException(
            f"The configured Total Process Memory size ({_hr(total_process)}) is less than the "
            f"sum of the derived Total Flink Memory size ({_hr(total_flink)}) and the configured "
            f"or default JVM Metaspace size  ({_hr(metaspace)}).")
    overhead = total_process - (total_flink + metaspace)
    overhead_range = _overhead_range(config, options)
    if not overhead_range.minimum <= overhead <= overhead_range.maximum:
        raise IllegalConfigurationException(
            f"Derived JVM Overhead size ({_hr(overhead)}) is not in configured JVM Overhead "
            f"range [{_hr(overhead_range.minimum)}, {_hr(overhead_range.maximum)}].")
    return metaspace, overhead


@frozen
class _RangeFraction:
    minimum: MemorySize
    maximum: MemorySize
    fraction: float


def _range_fraction(config, minimum_option, maximum_option, fraction_option):
    minimum = _memory(config, minimum_option)
    maximum = _memory(config, maximum_option)
    fraction = config.get(fraction_option)
    if not (minimum <= maximum and 0 <= fraction < 1):
        raise IllegalConfigurationException(
            f"Inconsistently configured {fraction_option.java_string()} "
            f"({format_java_double(fraction)}) and its min ({_hr(minimum)}), max ({_hr(maximum)}) "
            "value")
    return _RangeFraction(minimum, maximum, fraction)


def _overhead_range(config, options):
    return _range_fraction(config, options.overhead_min, options.overhead_max,
                           options.overhead_fraction)


def _network_range(config):
    return _range_fraction(config, o.TM_NETWORK_MEMORY_MIN, o.TM_NETWORK_MEMORY_MAX,
                           o.TM_NETWORK_MEMORY_FRACTION)


def _managed(config, total_flink):
    if config.contains(o.TM_MANAGED_MEMORY_SIZE):
        return _memory(config, o.TM_MANAGED_MEMORY_SIZE)
    fraction = config.get(o.TM_MANAGED_MEMORY_FRACTION)
    if not 0 <= fraction < 1:
        raise IllegalConfigurationException(
            f"Inconsistently configured {o.TM_MANAGED_MEMORY_FRACTION.java_string()} "
            f"({format_java_double(fraction)}) and its min ({_hr(MemorySize.ZERO)}), "
            f"max ({_hr(MemorySize.MAX_VALUE)}) value")
    return total_flink.multiply(fraction)


def _with_fraction(base, fraction_range):
    return _cap(base.multiply(fraction_range.fraction), fraction_range)


def _with_inverse_fraction(base, fraction_range):
    fraction = fraction_range.fraction
    return _cap(base.multiply(fraction / (1 - fraction)), fraction_range)


def _cap(relative, fraction_range):
    return min(max(relative, fraction_range.minimum), fraction_range.maximum)


def _check_network_after_explicit_sizes(config, network):
    network_range = _network_range(config)
    if not network_range.minimum <= network <= network_range.maximum:
        raise IllegalConfigurationException(
            "If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured "
            "then the Network Memory size is the rest of the Total Flink memory after subtracting "
            "all other configured types of memory, but the derived Network Memory is inconsistent "
            f"with its configuration: Derived Network Memory size ({_hr(network)}) is not in "
            f"configured Network Memory range [{_hr(network_range.minimum)}, "
            f"{_hr(network_range.maximum)}].")


def _sum_exceeds_total_flink(framework_heap, framework_off_heap, task_heap, task_off_heap, managed,
                             total_flink):
    return IllegalConfigurationException(
        f"Sum of configured Framework Heap Memory ({_hr(framework_heap)}), "
        f"Framework Off-Heap Memory ({_hr(framework_off_heap)}), "
        f"Task Heap Memory ({_hr(task_heap)}), Task Off-Heap Memory ({_hr(task_off_heap)}) "
        f"and Managed Memory ({_hr(managed)}) exceed configured Total Flink Memory "
        f"({_hr(total_flink)}).")


def _memory(config, option):
    """Flink's ``getMemorySizeFromConfig``: the size, or an error naming the option."""
    try:
        value = config.get(option)
    except IllegalConfigurationException as error:
        raise IllegalConfigurationException(
            f"Cannot read memory size from config option '{option.key}'. {error.message}") from None
    if value is None:
        raise IllegalConfigurationException(
            f"Cannot read memory size from config option '{option.key}'. "
            "The memory option is not set and has no default value.")
    return value


def _with_legacy_heap(config, process_option, heap_option, heap_mb_option, prefix):
    """
    ``MemoryBackwardsCompatibilityUtils.getConfWithLegacyHeapSizeMappedToNewConfigOption``:
    the legacy heap size stands for ``process_option`` when that is not set.
    """
    if config.contains(process_option):
        return config
    try:
        if config.contains(heap_option):
            return config.set(process_option, _memory(config, heap_option))
        if config.contains(heap_mb_option):
            megabytes = config.get(heap_mb_option)
            if megabytes < 0:
                raise IllegalConfigurationException(
                    f"Configured total process memory size ({megabytes}MB) must not be less "
                    "than 0.")
            return config.set(process_option, MemorySize(megabytes << 20))
    except IllegalConfigurationException as error:
        raise IllegalConfigurationException(prefix + error.message) from None
    return config


def _hr(size):
    return size.to_human_readable()


def _bytes(size):
    return f"{size.bytes}b"


def _jvm_parameters(heap, direct, metaspace, limit_direct_memory):
    parameters = [f"-Xmx{heap.bytes}", f"-Xms{heap.bytes}"]
    if limit_direct_memory:
        parameters.append(f"-XX:MaxDirectMemorySize={direct.bytes}")
    parameters.append(f"-XX:MaxMetaspaceSize={metaspace.bytes}")
    return " ".join(parameters)


def _in_hash_map_order(configs):
    return {key: configs[key] for key in hash_map_order(configs)}


def _assemble(configs):
    return " ".join(f"-D {key}={value}" for key, value in configs.items())
