"""
yarnemu: a YARN-style ResourceManager emulator on Twisted that hosts Flink's YARN deployment modes.

The core packages, from the bottom up:

- :mod:`yarnemu.clock` and :mod:`yarnemu.timers`: virtual time;
- :mod:`yarnemu.records`: YARN's records, ids and states as immutable values;
- :mod:`yarnemu.scheduler`: the FIFO and Capacity schedulers, pure (no clock, no I/O);
- :mod:`yarnemu.resourcemanager` and :mod:`yarnemu.nodemanager`: the services;
- :mod:`yarnemu.dfs`: the fake HDFS;
- :mod:`yarnemu.cluster`: a whole cluster wired together in one process.
"""

__version__ = "0.1.0"
