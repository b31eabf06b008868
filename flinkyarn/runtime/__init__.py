"""
Flink's runtime, re-implemented for the emulator: the processes of a Flink cluster on YARN (the
JobManager with its Dispatcher, ResourceManager and JobMasters; the TaskExecutors) and the RPC,
heartbeats and data exchange between them.  They run as programs in yarnemu containers and talk
over the cluster's :class:`~yarnemu.network.InProcessNetwork`.
"""
