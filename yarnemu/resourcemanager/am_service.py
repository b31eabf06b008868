"""
:class:`ApplicationMasterService`: ``ApplicationMasterProtocol`` — registration, the allocate
heartbeat and unregistration, with YARN's responseId rules.
"""

from zope.interface import implementer

from yarnemu.interfaces import IApplicationMasterProtocol
from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationMasterNotRegisteredException,
    InvalidApplicationMasterRequestException,
)
from yarnemu.lifecycle.rmattempt import RMAppAttemptEventType
from yarnemu.lifecycle.rmcontainer import RMContainerEventType
from yarnemu.records.am_protocol import (
    AllocateResponse,
    FinishApplicationMasterResponse,
    RegisterApplicationMasterResponse,
)
from yarnemu.records.containers import NMToken
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import RMAppAttemptState
from yarnemu.resourcemanager.rmcontainer import RELEASED_CONTAINER

__all__ = ["ApplicationMasterService", "next_response_id", "MAX_RESPONSE_ID"]

MAX_RESPONSE_ID = 2**31 - 1
_IGNORING_ASKS = frozenset({RMAppAttemptState.FINAL_SAVING, RMAppAttemptState.FINISHING,
                            RMAppAttemptState.FINISHED, RMAppAttemptState.FAILED,
                            RMAppAttemptState.KILLED})


def next_response_id(response_id):
    """:return: the responseId after ``response_id``, wrapping from 2³¹−1 to 0 (Hadoop 3)."""
    return (response_id + 1) & MAX_RESPONSE_ID


@implementer(IApplicationMasterProtocol)
class ApplicationMasterService:
    """
    The AM protocol of one ResourceManager.  An AM is identified by its attempt id (what the
    AMRMToken carries in Hadoop).
    """

    def __init__(self, rm):
        self._rm = rm

    def register_application_master(self, attempt_id, request):
        """
        :param request: a :class:`RegisterApplicationMasterRequest`.
        :return: a :class:`RegisterApplicationMasterResponse`.
        :raise ApplicationAttemptNotFoundException: if the attempt is not live.
        :raise InvalidApplicationMasterRequestException: if it registered already.
        """
        rm = self._rm
        attempt = self._live(attempt_id)
        if attempt.registered:
            raise InvalidApplicationMasterRequestException(
                f"Application Master is already registered : {attempt_id.application_id}"
            )
        rm.am_liveness.ping(attempt_id, rm.now())
        rm.dispatcher.dispatch(attempt.handle, RMAppAttemptEventType.REGISTERED, request)
        previous = tuple(
            c.container for c in attempt.containers if not c.state.is_final and not c.is_am
        )
        return RegisterApplicationMasterResponse(
            maximum_resource_capability=rm.scheduler.maximum_allocation,
            queue=attempt.app.queue,
            application_acls=attempt.app.submission_context.am_container_spec.application_acls,
            containers_from_previous_attempts=previous,
            nm_tokens_from_previous_attempts=tuple(
                _nm_token(attempt, c.node_id) for c in previous
                if c.node_id not in attempt.nodes_with_tokens
            ),
        )

    def allocate(self, attempt_id, request):
        """
        The AM heartbeat: store asks (absolute totals), release containers, and hand over new
        allocations, completed containers, node updates and headroom.

        A request repeating the previous responseId gets the previous response again, with no
        side effects; any other id than the last one raises.  Once the attempt is ending
        (FINAL_SAVING, FINISHING) asks and releases are ignored and no containers are handed
        over, but completed containers and node updates still are.

        :param request: an :class:`AllocateRequest`.
        :return: an :class:`AllocateResponse`.
        :raise ApplicationAttemptNotFoundException: if the attempt is not live (the AM should
            shut down).
        :raise ApplicationMasterNotRegisteredException: before registration.
        :raise InvalidApplicationMasterRequestException: for a stale responseId.
        :raise InvalidResourceRequestException: for an ask above the maximum allocation.
        :raise InvalidContainerReleaseException: for a release of another attempt's container.
        """
        rm = self._rm
        attempt = self._live(attempt_id)
        if not attempt.registered:
            raise ApplicationMasterNotRegisteredException(
                f"AM is not registered for known application attempt: {attempt_id} or RM had "
                "restarted after AM registered.  AM should re-register."
            )
        last = attempt.last_response_id
        if next_response_id(request.response_id) == last and attempt.last_response is not None:
            return attempt.last_response
        if request.response_id != last:
            raise InvalidApplicationMasterRequestException(
                f"Invalid responseId in AllocateRequest from application attempt: {attempt_id}, "
                f"expect responseId to be {last} but get {request.response_id}"
            )
        rm.am_liveness.ping(attempt_id, rm.now())
        progress = request.progress
        attempt.progress = 0.0 if not progress >= 0 else min(progress, 1.0)
        scheduler = rm.scheduler
        if attempt.state in _IGNORING_ASKS:
            # As Hadoop: no asks, releases or new containers once the attempt is ending, but what
            # completed and which nodes changed still reach the AM.
            completed, attempt.completed = attempt.completed, []
            updated, attempt.updated_nodes = attempt.updated_nodes, []
            response = AllocateResponse(
                response_id=next_response_id(last),
                completed_containers_statuses=completed,
                updated_nodes=updated,
                num_cluster_nodes=scheduler.num_nodes,
            )
        else:
            # Validate everything before changing anything.
            asks = scheduler.normalize_and_validate(request.ask)
            blacklist = request.blacklist
            if blacklist is not None:
                scheduler.validate_blacklist(blacklist.additions)
            scheduler.validate_release(attempt_id, request.release)
            # Completions caused by this call (releases) reach the AM with the next heartbeat, as
            # Hadoop's asynchronous dispatcher delivers them.
            completed = attempt.completed
            attempt.completed = []
            if blacklist is not None:
                scheduler.update_blacklist(attempt_id, blacklist.additions, blacklist.removals)
            scheduler.update_asks(attempt_id, asks)
            for live in scheduler.release(attempt_id, request.release):
                container = rm.containers.get(live.container_id)
                if container is not None:
                    rm.dispatcher.dispatch(container.handle, RMContainerEventType.RELEASED,
                                           (ContainerExitStatus.ABORTED, RELEASED_CONTAINER))
            response = self._collect(attempt, next_response_id(last), completed)
        attempt.last_response_id = response.response_id
        attempt.last_response = response
        return response

    def finish_application_master(self, attempt_id, request):
        """
        Unregister.  Returns ``is_unregistered=False`` for a managed AM until the final state is
        stored; the AM asks again until it is ``True``.

        :param request: a :class:`FinishApplicationMasterRequest`.
        :raise ApplicationMasterNotRegisteredException: before registration.
        """
        rm = self._rm
        attempt = self._attempt(attempt_id)
        if not attempt.registered:
            raise ApplicationMasterNotRegisteredException(
                "Application Master is trying to unregister before registering for: "
                f"{attempt_id}"
            )
        if attempt.state in (RMAppAttemptState.FINISHING, RMAppAttemptState.FINISHED):
            return FinishApplicationMasterResponse(is_unregistered=True)
        if attempt.state.is_final:
            raise ApplicationAttemptNotFoundException(
                f"Application attempt {attempt_id} doesn't exist in ApplicationMasterService cache."
            )
        rm.am_liveness.ping(attempt_id, rm.now())
        rm.dispatcher.dispatch(attempt.handle, RMAppAttemptEventType.UNREGISTERED, request)
        return FinishApplicationMasterResponse(is_unregistered=attempt.unmanaged)

    # Internals

    def _collect(self, attempt, response_id, completed):
        rm = self._rm
        allocated = []
        tokens = []
        token_prefix = None
        for container in attempt.newly_allocated:
            rm.dispatcher.dispatch(container.handle, RMContainerEventType.ACQUIRED)
            allocated.append(container.container)
            node_id = container.node_id
            if node_id not in attempt.nodes_with_tokens:
                if token_prefix is None:
                    token_prefix = _nm_token_prefix(attempt)
                attempt.nodes_with_tokens.add(node_id)
                tokens.append(NMToken(node_id, f"{token_prefix}{node_id}"))
        attempt.newly_allocated = []
        updated = attempt.updated_nodes
        attempt.updated_nodes = []
        return AllocateResponse(
            response_id=response_id,
            allocated_containers=allocated,
            completed_containers_statuses=completed,
            available_resources=rm.scheduler.headroom(attempt.attempt_id),
            updated_nodes=updated,
            num_cluster_nodes=rm.scheduler.num_nodes,
            nm_tokens=tokens,
            application_priority=attempt.app.submission_context.priority,
        )

    def _attempt(self, attempt_id):
        app = self._rm.apps.get(attempt_id.application_id)
        attempt = None
        if app is not None:
            attempt = next((a for a in app.attempts if a.attempt_id == attempt_id), None)
        if attempt is None:
            raise ApplicationAttemptNotFoundException(
                f"Application attempt {attempt_id} doesn't exist in ApplicationMasterService cache."
            )
        return attempt

    def _live(self, attempt_id):
        attempt = self._rm.live_attempts.get(attempt_id)
        if attempt is None:
            raise ApplicationAttemptNotFoundException(
                f"Application attempt {attempt_id} doesn't exist in ApplicationMasterService cache."
            )
        return attempt


def _nm_token_prefix(attempt):
    return f"nmtoken:{attempt.attempt_id}:"


def _nm_token(attempt, node_id):
    attempt.nodes_with_tokens.add(node_id)
    return NMToken(node_id, f"{_nm_token_prefix(attempt)}{node_id}")
