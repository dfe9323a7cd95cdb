"""Settings: the scanner profile and the label printer this terminal uses. Anyone may read them
and print a test label; changing them needs a supervisor (a wrong scanner or printer stops every
operator on this terminal). Changes are saved at once so they outlast a restart: the printer in
the label settings (labels.toml), the scanner in the terminal settings (terminal.toml)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import ClassVar

import platformdirs

from wms.domain.errors import DomainError, NotPermitted
from wms.domain.kinds import Role
from wms.domain.scan import Scan
from wms.domain.scan_schemes import Command
from wms.labels.errors import LabelError
from wms.labels.labeller import Labeller
from wms.labels.model import LocationLabel
from wms.labels.settings import (
    PRINTER_FORMS,
    LabelSettings,
    PrinterSettings,
    config_path,
    describe_printer,
    load_settings,
    parse_printer,
    save_settings,
    with_default_printer,
)
from wms.scanner.profile import PROFILES, ScannerProfile, load_profile
from wms.services.context import Actor, Context
from wms.workflows.base import Hint, Workflow
from wms.workflows.jobs import Job
from wms.workflows.steps import ANY_TEXT, Accepts, Steps, choice

TERMINAL_CONFIG_ENV = "WMS_TERMINAL_CONFIG"
TEST_LABEL = "WMS-TEST"

ScannerSwitch = Callable[[ScannerProfile], None]
"""Re-opens the terminal's scanner reader on a new profile (the app does it, on its thread)."""

_CHOICES = {Command.MENU1: "scanner", Command.MENU2: "printer", Command.MENU3: "test"}


def terminal_config_path() -> Path:
    """The terminal settings file: $WMS_TERMINAL_CONFIG, else the user config directory."""
    env = os.environ.get(TERMINAL_CONFIG_ENV)
    return (
        Path(env)
        if env
        else platformdirs.user_config_path("wms", appauthor=False) / "terminal.toml"
    )


def saved_scanner(path: Path | None = None) -> str | None:
    """The scanner profile saved on the Settings screen (a name or a .toml path), or None when
    none was saved. Raises ValueError, saying which file, when the file cannot be read."""
    path = path or terminal_config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    scanner = data.get("scanner")
    if scanner is not None and not isinstance(scanner, str):
        raise ValueError(f"{path}: scanner must be a profile name or a .toml path")
    return scanner


def save_scanner(choice: str, path: Path | None = None) -> None:
    """Save the scanner profile for the next start (replacing the file in one step)."""
    path = path or terminal_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    # A JSON string is a valid TOML string, escapes included.
    temporary.write_text(f"scanner = {_quoted(choice)}\n", encoding="utf-8")
    os.replace(temporary, path)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class SettingsFiles:
    """Where changed settings are saved (the defaults are where `wms terminal` reads them)."""

    labels: Path = field(default_factory=config_path)
    terminal: Path = field(default_factory=terminal_config_path)


@dataclass(frozen=True)
class TerminalSetup:
    """What the Settings screen shows and changes. ``files`` None: settings cannot be saved on
    this terminal, so they are shown only. ``switch_scanner`` None: a new scanner profile takes
    effect at the next start. ``labeller`` None: the app prints no labels until restarted."""

    scanner: Callable[[], ScannerProfile | None]
    idle_lock_seconds: float
    files: SettingsFiles | None = None
    switch_scanner: ScannerSwitch | None = None
    labeller: Labeller | None = None


class SettingsWorkflow(Workflow):
    """1 scanner · 2 printer · 3 test label (typed, or scanned as #MENU1-3)."""

    name = "settings"
    title = "Settings"
    commands = (
        (Command.MENU1, "change the scanner (supervisor)"),
        (Command.MENU2, "change the label printer (supervisor)"),
        (Command.MENU3, "print a test label"),
    )

    steps: ClassVar[Steps] = {
        "choose": Accepts("Type 1, 2 or 3 (or scan #MENU1-3)", text=choice("1", "2", "3")),
        "scanner": Accepts("Type a profile name or .toml path", text=ANY_TEXT),
        "printer": Accepts(f"Type {PRINTER_FORMS}", text=ANY_TEXT),
    }

    def __init__(self, ctx: Context, actor: Actor, *, setup: TerminalSetup) -> None:
        super().__init__(ctx, actor)
        self.setup = setup
        self.step = "choose"

    def prompt(self) -> str:
        """What to type at this step."""
        if self.step == "scanner":
            return "Type a profile name or .toml path"
        if self.step == "printer":
            return f"Type {PRINTER_FORMS}"
        return "1 scanner 2 printer 3 test label"

    def context(self) -> tuple[str, ...]:
        """The settings now; while changing one, the forms it takes."""
        if self.step == "scanner":
            return (f"Now: {self._scanner_line()}", "Built in: " + " ".join(PROFILES))
        if self.step == "printer":
            return (
                f"Now: {self._printer_line()}",
                "host:port  network, port 9100",
                "cups:QUEUE  a CUPS queue",
                "/path      a file or device",
            )
        lines = [
            f"Scanner: {self._scanner_line()}",
            f"Printer: {self._printer_line()}",
            f"Idle lock: {self.setup.idle_lock_seconds:.0f} s",
        ]
        if self.setup.files is None:
            lines.append("Settings are fixed on this terminal")
        elif self.actor.role is not Role.SUPERVISOR:
            lines.append("Changes need a supervisor")
        return tuple(lines)

    def hints(self) -> list[Hint]:
        """For the demo scanner panel."""
        if self.step == "choose":
            return [
                Hint(f"#MENU{n} {why}", f"#MENU{n}") for n, why in ((1, "scanner"), (3, "test"))
            ]
        return [Hint("#BACK", "#BACK")]

    # -- inputs -----------------------------------------------------------------------------------

    def on_scan(self, scan: Scan) -> None:
        """No step takes a scan (a label scanned while typing a setting is its text)."""
        raise DomainError(self.accepts().refusal(scan))

    def on_text(self, text: str) -> None:
        """A choice, a scanner profile or a printer address."""
        if self.step == "scanner":
            self._set_scanner(text)
        elif self.step == "printer":
            self._set_printer(text)
        else:
            choice = {"1": Command.MENU1, "2": Command.MENU2, "3": Command.MENU3}.get(text)
            if choice is None:
                raise DomainError("Type 1, 2 or 3 (or scan #MENU1-3)")
            self.on_command(choice)

    def on_command(self, command: Command) -> None:
        """#MENU1-3 choose; F3 (or F4) goes back to the choice, then leaves."""
        match _CHOICES.get(command):
            case "test":
                self._print_test_label()
            case "scanner" | "printer" as what:
                self._may_change()
                self.step = what
                self.note("")
            case None if command in (Command.BACK, Command.DONE) and self.step != "choose":
                self.step = "choose"
                self.note("")
            case None if command is Command.DONE:
                self.finished = True
            case _:
                super().on_command(command)

    # -- changes ----------------------------------------------------------------------------------

    def _may_change(self) -> None:
        if self.setup.files is None:
            raise DomainError("Settings are fixed on this terminal")
        if self.actor.role is not Role.SUPERVISOR:
            raise NotPermitted("Changing settings needs a supervisor")

    def _set_scanner(self, text: str) -> None:
        assert self.setup.files is not None  # _may_change let the operator in
        try:
            profile = load_profile(text)
        except ValueError as exc:  # unknown name, missing file, bad TOML: the reason says which
            raise DomainError(str(exc)) from None
        # A relative path would mean something else when started from another directory.
        choice = text if text in PROFILES else str(Path(text).resolve())
        try:
            save_scanner(choice, self.setup.files.terminal)
        except OSError as exc:
            raise DomainError(f"Not saved: {exc.strerror or exc}") from None
        self.step = "choose"
        if self.setup.switch_scanner is None:
            self.ok(f"Scanner {profile.name} saved: takes effect at next start")
            return
        self.setup.switch_scanner(profile)
        self.ok(f"Scanner {profile.name} saved and reopened")

    def _set_printer(self, text: str) -> None:
        assert self.setup.files is not None  # _may_change let the operator in
        saved = load_settings(self.setup.files.labels)  # the file: keeps edits made by hand
        printer = parse_printer(text, like=_default_printer(saved))
        settings = with_default_printer(saved, printer)
        save_settings(settings, self.setup.files.labels)
        self.step = "choose"
        if self.setup.labeller is None:
            self.ok(f"Printer {describe_printer(printer)} saved: used at next start")
            return
        self.setup.labeller.settings = settings
        self.ok(f"Printer {describe_printer(printer)} saved")

    def _print_test_label(self) -> None:
        labeller = self.setup.labeller or Labeller(self._label_settings())
        printer = labeller.settings.printer(None)  # no printer: refused here, with the reason
        send = partial(labeller.print, [LocationLabel(TEST_LABEL)], printer=printer.name)
        self.jobs.append(Job(f"test label on {printer.name}", send))
        self.note(f"Test label sent to {describe_printer(printer)}")

    # -- what is shown ----------------------------------------------------------------------------

    def _scanner_line(self) -> str:
        profile = self.setup.scanner()
        return f"{profile.name} {profile.port}" if profile else "keyboard only"

    def _printer_line(self) -> str:
        try:
            printer = _default_printer(self._label_settings())
        except LabelError as exc:
            return exc.message
        return describe_printer(printer) if printer else "none"

    def _label_settings(self) -> LabelSettings:
        if self.setup.labeller is not None:
            return self.setup.labeller.settings
        return load_settings(self.setup.files.labels) if self.setup.files else LabelSettings()


def _default_printer(settings: LabelSettings) -> PrinterSettings | None:
    """The default printer, or None when the settings name none."""
    if settings.default_printer is None:
        return None
    return settings.printer(None)
