"""
Hadoop RPC v9 on Twisted, so that Hadoop's own Java clients (``YarnClient``, the ``yarn`` CLI,
``AMRMClient``, ``NMClient``) and real Apache Flink on YARN talk to yarnemu's ResourceManager and
NodeManagers.

- :mod:`~yarnemu.ipc.descriptors`: the protobuf messages, from the descriptor set dumped from
  Hadoop's client jar at set-up time (nothing of Apache's is part of yarnemu);
- :mod:`~yarnemu.ipc.framing`, :mod:`~yarnemu.ipc.connection`, :mod:`~yarnemu.ipc.errors`: the
  wire protocol, one connection at a time, and how failures are answered;
- :mod:`~yarnemu.ipc.convert`: messages ↔ :mod:`yarnemu.records`;
- :mod:`~yarnemu.ipc.client_protocol`, :mod:`~yarnemu.ipc.am_protocol`,
  :mod:`~yarnemu.ipc.container_protocol`: the three YARN protocols over the same services REST
  uses; :mod:`~yarnemu.ipc.tokens`: the tokens they hand out;
- :mod:`~yarnemu.ipc.attempt_endpoints`: one AM listener per application attempt, and the Hadoop
  configuration a container gets;
- :mod:`~yarnemu.ipc.server`: all of it for one cluster; :mod:`~yarnemu.ipc.client`: a small
  Python client.
"""
