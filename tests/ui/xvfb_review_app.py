"""Run by test_ui_xvfb.py in its own process on a real X display: open the app's window, answer one question
from a recording, and save a screenshot of the review from the X server's framebuffer.

Usage: python tests/ui/xvfb_review_app.py ANSWER_FILE SCREENSHOT_PNG   (VIVA_HOME must be set)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from app.audio_io import AudioIO
from app.config import Config
from app.player import ClockPlayer
from app.recorder import FileRecorder
from app.services import build
from app.ui.app import application
from app.ui.main_window import MainWindow

TIMEOUT_MS = 180_000


def main(answer: Path, screenshot: Path) -> int:
    app = application()
    audio = AudioIO(lambda _q, _p, _t: FileRecorder(answer, realtime=False), lambda _path, _stop: None, ClockPlayer)
    window = MainWindow(build(Config()), audio=audio)
    window.resize(1280, 760)
    window.show()
    status = {"code": 1}

    def start() -> None:
        window.controller.speak_questions = False
        window.home.select_preset("quick-3")
        window.home.start_button.click()
        window.interview.record.answer_button.click()

    def reviewed(_record: object) -> None:
        QTimer.singleShot(300, shoot)  # let the review lay out and paint on the X server

    def shoot() -> None:
        screen = window.screen()
        g = window.frameGeometry()
        ok = screen.grabWindow(0, g.x(), g.y(), g.width(), g.height()).save(str(screenshot))
        print(f"platform={app.platformName()} saved={ok} size={g.width()}x{g.height()}")
        status["code"] = 0 if ok and app.platformName() == "xcb" else 2
        window.close()

    def give_up() -> None:
        print(f"timed out; banner: {window.banner.text()!r}")
        window.close()

    window.controller.answer_ready.connect(reviewed)
    window.controller.answer_failed.connect(lambda message: (print(message), window.close()))
    window.models_ready.connect(lambda ok: QTimer.singleShot(0, start) if ok else give_up())
    QTimer.singleShot(TIMEOUT_MS, give_up)
    app.exec()
    window.runner.shutdown()
    return status["code"]


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
