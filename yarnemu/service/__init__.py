"""
The long-running yarnemu service (``twistd -n yarnemu``): one emulated cluster on the real reactor
(optionally faster than real time), serving the ResourceManager's web address (REST API, web
proxy) and WebHDFS on the fake HDFS, and, with ``--hadoop-rpc``, Hadoop RPC (:mod:`yarnemu.ipc`).

- :mod:`yarnemu.service.options`: the command line and the settings it resolves to;
- :mod:`yarnemu.service.scaled_clock`: the cluster's clock when time runs faster than real time;
- :mod:`yarnemu.service.service`: the service itself.

The ``twistd`` plugin (``twisted/plugins/yarnemu_plugin.py``) imports only the options, so that
``twistd --help`` stays light; :mod:`flinkyarn.service` composes the service with Flink.
"""
