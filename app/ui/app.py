"""Starting the desktop app: one QApplication, the config read once, the services built once."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import __version__
from app import config as config_mod
from app.audio_io import AudioIO
from app.errors import VivaError
from app.paths import config_file
from app.services import Services, build
from app.ui.main_window import MainWindow


def load_services(config_path: str | None) -> tuple[Services, str | None]:
    """Services from the config file; a broken config gives defaults plus the problem to show."""
    path = Path(config_path) if config_path else config_file()
    try:
        return build(config_mod.load(path)), None
    except VivaError as e:
        return build(config_mod.Config()), f"{e}. Using the default settings until the config is fixed."


def create_main_window(config_path: str | None, *, audio: AudioIO | None = None) -> MainWindow:
    """The window over services built from the config file; `audio` replaces the configured devices."""
    services, problem = load_services(config_path)
    window = MainWindow(services, audio=audio, config_path=Path(config_path) if config_path else None)
    if problem:
        window.show_error(problem)
    return window


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Viva")
    app.setApplicationDisplayName("Viva")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("viva")
    return app


def run_app(config_path: str | None) -> int:
    """Open the main window and run the event loop until it closes; returns the exit status."""
    app = application()
    window = create_main_window(config_path)
    window.show()
    status = app.exec()
    if window.runner.shutdown():  # no worker still uses the database
        window.services.close()
    return int(status)
