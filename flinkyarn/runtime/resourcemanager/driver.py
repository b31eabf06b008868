"""
The seam between Flink's ResourceManager and the resource framework it runs on (Flink's
``ResourceManagerDriver`` and ``ResourceEventHandler``): the ResourceManager decides how many
workers it wants; a driver starts and stops them (on YARN: containers) and reports what happens
to them.
"""

from zope.interface import Attribute, Interface

__all__ = ["IResourceManagerDriver", "IResourceEventHandler", "IWorkerNode"]


class IWorkerNode(Interface):
    """A worker a driver started (on YARN, a container with a TaskExecutor in it)."""

    resource_id = Attribute("The worker's ResourceID (the id its TaskExecutor registers with).")

    def __str__():
        """The ResourceID with its metadata, as Flink's ``getStringWithMetadata``."""


class IResourceEventHandler(Interface):
    """What a driver tells the ResourceManager."""

    def on_previous_attempt_workers_recovered(workers):
        """Workers of a previous application attempt are still running (``IWorkerNode`` values)."""

    def on_worker_terminated(resource_id, diagnostics):
        """A worker ended (its container completed, or could not be started)."""

    def on_error(error):
        """Something the ResourceManager cannot recover from: a fatal error."""


class IResourceManagerDriver(Interface):
    """Starts and stops workers for the ResourceManager."""

    def initialize(event_handler):
        """
        Connect to the resource framework (on YARN: register the application master) and report
        to ``event_handler`` (an :class:`IResourceEventHandler`) from now on.

        :raise ResourceManagerException: if it cannot.
        """

    def terminate():
        """Stop talking to the resource framework."""

    def deregister_application(application_status, diagnostics):
        """
        Tell the resource framework that the application ended with ``application_status`` (an
        :class:`~flinkyarn.states.ApplicationStatus`) and clean up after it.

        :return: a Deferred firing when done.
        """

    def request_resource(process_spec):
        """
        Start a worker with ``process_spec`` (a ``TaskExecutorProcessSpec``).

        :return: a Deferred firing with the :class:`IWorkerNode` once it is allocated, failing if
            it cannot be; cancelling it withdraws the request.
        """

    def release_resource(worker):
        """Stop a worker and give its resources back."""
