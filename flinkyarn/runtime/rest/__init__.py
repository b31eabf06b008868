"""
The JobManager's REST API (``WebMonitorEndpoint``): an in-process server on the cluster's network
answering in the shapes of Flink's REST API (``rest_v1_dispatcher.yml``).
"""
