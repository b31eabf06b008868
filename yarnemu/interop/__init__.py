"""
Interop with the real clients: what it takes to point Hadoop's own ``yarn`` command, a Java
``YarnClient``/``AMRMClient`` program and real Apache Flink 2.x at a running ``twistd yarnemu``.

Nothing here runs inside the service.

- :mod:`~yarnemu.interop.setup` (``python -m yarnemu.interop.setup``) fills the ignored cache
  ``.cache/interop/`` (:mod:`~yarnemu.interop.cache`): Hadoop's client jars from the ``pyspark``
  sdist and Flink from the ``apache-flink-libraries`` and ``apache-flink`` wheels, fetched from
  PyPI with pip (:mod:`~yarnemu.interop.fetch`, pinned in :mod:`~yarnemu.interop.artifacts`), and
  the Hadoop RPC message descriptors, dumped from the Hadoop jar by a Java program of ours
  (:mod:`~yarnemu.interop.descriptors`) with the machine's JDK (:mod:`~yarnemu.interop.jdk`).
- What a Java client reads: Hadoop ``*-site.xml`` directories
  (:mod:`~yarnemu.interop.hadoop_conf`), Flink configuration directories
  (:mod:`~yarnemu.interop.flink_conf`), classpaths (:mod:`~yarnemu.interop.classpaths`), and the
  service's options for them (:mod:`~yarnemu.interop.service_options`).
- Running them: argv and environments (:mod:`~yarnemu.interop.clients`), ``python -m
  yarnemu.interop.run`` against a running service (:mod:`~yarnemu.interop.run`), and the process
  trees they leave below the service (:mod:`~yarnemu.interop.processes`).
"""
