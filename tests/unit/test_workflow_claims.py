"""Starting a pick task asks the hub for its lease beside the work, never in its way."""

from __future__ import annotations

import pytest

from tests.tui.session_helpers import run_ok
from wms.domain.errors import DocumentClosed
from wms.services.context import Context
from wms.workflows.menu import default_menu
from wms.workflows.replay import feed
from wms.workflows.session import Session


class OtherTerminalHasIt:
    """The hub's answer: another terminal holds every task's lease."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def claim(self, task: str) -> None:
        self.asked.append(task)
        raise DocumentClosed(f"Task {task}: task leased to another terminal until 10:40 UTC")


def test_starting_a_task_queues_its_claim_and_a_refusal_names_the_task(ctx: Context) -> None:
    claims = OtherTerminalHasIt()
    session = Session(ctx, default_menu(claims=claims))
    feed(session, "OP0001")
    feed(session, "start pick")
    view = run_ok(session, "PT-0001")
    assert view.prompt == "Take a cart for PT-0001: scan it"  # the operator is working already
    assert claims.asked == []
    [job] = session.take_jobs()
    assert (job.description, job.failure) == ("lease of PT-0001", "Task not yours")
    with pytest.raises(DocumentClosed, match="leased to another terminal"):
        job.send()
    assert claims.asked == ["PT-0001"]


def test_without_a_hub_no_claim_is_queued(ctx: Context) -> None:
    session = Session(ctx, default_menu())
    feed(session, "OP0001")
    feed(session, "start pick")
    run_ok(session, "PT-0001")
    assert session.take_jobs() == []
