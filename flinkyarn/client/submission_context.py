"""
The ``ApplicationSubmissionContext`` of a Flink cluster, as ``YarnClusterDescriptor.startAppMaster``
fills it: name, type, queue, tags, priority, node label, the AM's resource and launch context, and
the attempt settings (more attempts and kept containers with high availability).
"""

from flinkyarn.config import options as o
from flinkyarn.yarn.constants import APPLICATION_TYPE
from yarnemu.records.client_protocol import ApplicationSubmissionContext

__all__ = [
    "application_submission_context",
    "application_tags",
    "high_availability_enabled",
    "DEFAULT_RM_AM_MAX_ATTEMPTS",
]

DEFAULT_RM_AM_MAX_ATTEMPTS = 2
"""``YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS``: the attempts with HA when none are set."""


def high_availability_enabled(config):
    """Whether ``high-availability.type`` is anything but NONE (ZooKeeper, Kubernetes, ...)."""
    return str(config.get(o.HIGH_AVAILABILITY)).strip().upper() != "NONE"


def application_tags(config):
    """:return: ``yarn.tags`` split on ``,``, trimmed, without empty tags."""
    return [tag.strip() for tag in config.get(o.YARN_APPLICATION_TAGS).split(",") if tag.strip()]


def application_submission_context(config, application_id, launch_context, resource,
                                   default_name):
    """
    :param config: the effective configuration.
    :param launch_context: the AM's ``ContainerLaunchContext``.
    :param resource: the AM's ``Resource``: the JobManager's memory, ``yarn.appmaster.vcores``.
    :param str default_name: the deployment mode's name (``Flink session cluster``, ...), used
        unless ``yarn.application.name`` is set.
    :return: an ``ApplicationSubmissionContext``; the priority is set only when
        ``yarn.application.priority`` is at least 0, the queue only when
        ``yarn.application.queue`` is set (else YARN's default queue).
    """
    ha = high_availability_enabled(config)
    attempts = config.get(o.YARN_APPLICATION_ATTEMPTS)
    if attempts is None:
        attempts = DEFAULT_RM_AM_MAX_ATTEMPTS if ha else 1
    fields = {
        "application_id": application_id,
        "am_container_spec": launch_context,
        "application_name": config.get(o.YARN_APPLICATION_NAME) or default_name,
        "application_type": config.get(o.YARN_APPLICATION_TYPE) or APPLICATION_TYPE,
        "resource": resource,
        "max_app_attempts": attempts,
        "application_tags": application_tags(config),
    }
    if ha:
        fields["keep_containers_across_application_attempts"] = True
        fields["attempt_failures_validity_interval"] = config.get(
            o.YARN_ATTEMPT_FAILURES_VALIDITY_INTERVAL)
    priority = config.get(o.YARN_APPLICATION_PRIORITY)
    if priority >= 0:
        fields["priority"] = priority
    queue = config.get(o.YARN_APPLICATION_QUEUE)
    if queue is not None:
        fields["queue"] = queue
    node_label = config.get(o.YARN_APPLICATION_NODE_LABEL)
    if node_label is not None:
        fields["node_label_expression"] = node_label
    return ApplicationSubmissionContext(**fields)
