"""
Prometheus metrics for the RM web address: ``/metrics`` in the text exposition format, with the
names Hadoop's own Prometheus endpoint gives YARN's QueueMetrics and ClusterMetrics
(``queue_metrics_apps_submitted{queue="root.default",…}``, ``cluster_metrics_num_active_n_ms``).

    root.putChild(b"metrics", PrometheusMetricsResource(rm))

Modules: :mod:`~yarnemu.web.prometheus.resource` (the twisted.web resource),
:mod:`~yarnemu.web.prometheus.collector` (the ``prometheus_client`` collector and which metric
comes from where), :mod:`~yarnemu.web.prometheus.names` (Hadoop's naming rule),
:mod:`~yarnemu.web.prometheus.queues` (the scheduler's queues and their live usage); the
cumulative application counts per queue are the RM's
(:class:`~yarnemu.resourcemanager.metrics.ClusterMetrics`).
"""

from yarnemu.web.prometheus.resource import CONTENT_TYPE, PrometheusMetricsResource

__all__ = ["PrometheusMetricsResource", "CONTENT_TYPE"]
