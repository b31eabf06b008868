"""
Prometheus names for Hadoop metrics, by the rule of Hadoop's own Prometheus endpoint
(``org.apache.hadoop.metrics2.sink.PrometheusMetricsSink#prometheusName``, served at ``/prom``
when ``hadoop.prometheus.endpoint.enabled`` is true): record name and metric name, each
capitalized, are joined, split into words at their capitals, joined with ``_``, lower-cased, and
every run of characters other than ASCII letters and digits becomes one ``_``::

    QueueMetrics + AppsSubmitted   → queue_metrics_apps_submitted
    QueueMetrics + AllocatedVCores → queue_metrics_allocated_v_cores
    ClusterMetrics + NumActiveNMs  → cluster_metrics_num_active_n_ms

A word starts at a capital that follows neither another capital nor ``_``, and at a capital
followed by a lower-case letter (so ``MB`` stays one word and ``NMs`` becomes ``N``, ``Ms``), as
the sink's split pattern ``(?<!(^|[A-Z_]))(?=[A-Z])|(?<!^)(?=[A-Z][a-z])`` does.
"""

import re

__all__ = ["prometheus_name", "label_name"]

_DELIMITERS = re.compile(r"[^a-zA-Z0-9]+")


def _is_upper(character):
    return "A" <= character <= "Z"


def _is_lower(character):
    return "a" <= character <= "z"


def _capitalize(text):
    return text[:1].upper() + text[1:]


def _words(text):
    words = []
    start = 0
    for index in range(1, len(text)):
        character = text[index]
        if not _is_upper(character):
            continue
        before = text[index - 1]
        after = text[index + 1] if index + 1 < len(text) else ""
        if not (_is_upper(before) or before == "_") or _is_lower(after):
            words.append(text[start:index])
            start = index
    words.append(text[start:])
    return words


def prometheus_name(record_name, metric_name):
    """
    :param str record_name: the metrics record, e.g. ``"QueueMetrics"``.
    :param str metric_name: the metric as JMX shows it, e.g. ``"AppsSubmitted"``.
    :return: the Prometheus metric name Hadoop's ``PrometheusMetricsSink`` gives it.
    """
    joined = "_".join(_words(_capitalize(record_name) + _capitalize(metric_name))).lower()
    return _DELIMITERS.sub("_", joined)


def label_name(tag_name):
    """:return: the label a metrics tag becomes (the sink lower-cases tag names)."""
    return tag_name.lower()
