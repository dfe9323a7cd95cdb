"""The session: log-on, menu, error acknowledgement, cancel confirmation, idle lock, replay."""

from __future__ import annotations

from pathlib import Path

from tests.store_helpers import op_count
from tests.tui.session_helpers import APPAREL, run, run_ok, session_at
from wms.services.context import Context
from wms.workflows.base import Level
from wms.workflows.replay import refused, replay
from wms.workflows.session import Session


def test_badge_logs_on_and_unknown_badge_is_refused(ctx: Context) -> None:
    s = Session(ctx)
    assert run(s, "OP9999").result == "Badge OP9999 is not known here"
    run_ok(s, "key ENTER")
    assert run_ok(s, "OP0001").result == "Hello Alice Chen"
    assert s.screen == "menu"


def test_id_and_pin_log_on_without_saying_which_was_wrong(ctx: Context) -> None:
    s = Session(ctx)
    assert run(s, "type 1001", "type 0000").result == "Wrong ID or PIN"
    run_ok(s, "key ENTER", "type 1001")
    assert s.view().step == "pin"
    assert run_ok(s, "type 1234").result == "Hello Alice Chen"


def test_menu_command_barcode_starts_the_workflow(ctx: Context) -> None:
    s = Session(ctx)
    run_ok(s, "OP0001", "#MENU3")
    assert s.screen == "pick"


def test_scan_during_an_error_only_acknowledges_and_says_so(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run(s, "PO-2099-1").level is Level.ERROR
    view = run(s, "PO-2026-0001")
    assert view.level is Level.INFO
    assert view.result == "PO-2026-0001 not used: scan it again"
    assert view.step == "document"
    assert run_ok(s, "PO-2026-0001").step == "product"


def test_cancel_asks_first_when_work_would_be_lost(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "A-01-03-A-1", APPAREL)
    assert run_ok(s, "key ESC").prompt.startswith("Cancel?")
    assert run_ok(s, "#NO").step == "target"
    run_ok(s, "key ESC", "#YES")
    assert s.screen == "menu"


def test_cancel_without_work_leaves_at_once(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "key ESC")
    assert s.screen == "menu"


def test_idle_lock_resumes_for_the_same_operator(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "A-01-03-A-1")
    s.lock()
    assert s.screen == "logon"
    run_ok(s, "OP0001")
    assert (s.screen, s.view().step) == ("move", "product")


def test_idle_lock_drops_work_for_another_operator(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "A-01-03-A-1")
    s.lock()
    run_ok(s, "OP0002")
    assert s.screen == "menu"


def test_replay_prints_steps_and_reports_refusals(ctx: Context, tmp_path: Path) -> None:
    printed: list[str] = []
    lines = ["OP0001", "start receive", "PO-2026-0001", APPAREL, "PO-2099-1"]
    steps = replay(Session(ctx), lines, printed.append)
    assert len(printed) == 5
    assert "[ok] Receive: Scan a product | +1 SKU-01401 (1/10)" in printed[3]
    assert [s.line for s in refused(steps)] == ["PO-2099-1"]
    assert op_count(ctx) == 1


def test_a_typed_badge_and_a_typed_command_act_as_scans(ctx: Context) -> None:
    s = Session(ctx)
    run_ok(s, "type OP0001", "type #MENU2")
    assert s.screen == "putaway"


def test_log_off_over_unsaved_work_asks_and_says_what_was_dropped(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "A-01-03-A-1", APPAREL)
    view = run_ok(s, "#LOGOFF")
    assert view.prompt == "Log off? Work not saved is lost. #YES / #NO"
    assert "Not saved: SKU-01401 × 1 not moved" in view.context
    assert run_ok(s, "#NO").step == "target"
    view = run_ok(s, "type #LOGOFF", "type #YES")  # typed (a wedge scanner) as well as scanned
    assert (s.screen, view.result) == ("logon", "Logged off; dropped: SKU-01401 × 1 not moved")


def test_log_off_with_nothing_unsaved_is_at_once(ctx: Context) -> None:
    s = session_at(ctx, "move")
    assert run_ok(s, "#LOGOFF").result == "Logged off"


def test_quit_asks_while_someone_is_logged_on(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert s.request_quit().prompt == "Quit the terminal? #YES / #NO"
    run_ok(s, "#NO")
    assert not s.quitting
    s.request_quit()
    run_ok(s, "#YES")
    assert s.quitting
    nobody = Session(ctx)  # nobody logged on: nothing to lose, nothing to ask
    nobody.request_quit()
    assert nobody.quitting


def test_another_operator_after_an_idle_lock_is_told_what_was_dropped(ctx: Context) -> None:
    s = session_at(ctx, "move")
    run_ok(s, "A-01-03-A-1", APPAREL)
    s.lock()
    view = run_ok(s, "OP0002")
    assert view.result == "Hello Bao Nguyen; Alice's SKU-01401 × 1 not moved: dropped"


def test_a_question_is_answered_by_a_typed_command_too(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    s.request_quit()
    assert run(s, "type later").level is Level.ERROR  # neither yes nor no: asked again
    run_ok(s, "key ENTER")
    run_ok(s, "type #YES")
    assert s.quitting
