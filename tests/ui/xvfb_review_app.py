"""Run by test_ui_xvfb.py in its own process on a real X display: a scripted walk through the app's window, as a
user would go, with screenshots taken from the X server's framebuffer (not the widgets' own rendering).

The walk: analyse a recording made elsewhere and save it to History; answer a question from a recording and
look at its review (coaching summary, timeline); try again with take 1's feedback beside the record panel, and
compare the takes side by side; answer the spoken follow-up of the next question; End session (confirmed);
open an answer's review from the session summary; the session in History, and a stored answer's review.

Each step waits for the window's own signals (nothing sleeps on a guess; a short pause before each screenshot
only lets the X server paint). Checks along the way are collected and printed; the exit code is 0 only when
every check passed and every screenshot was saved.

Usage: python tests/ui/xvfb_review_app.py OUTPUT_DIR WIDTHxHEIGHT SPEECH_DIR   (VIVA_HOME must be set)
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.audio_io import AudioIO
from app.config import Config
from app.player import ClockPlayer
from app.recorder import FileRecorder
from app.services import build
from app.tts import Pyttsx3Speaker
from app.ui.app import application
from app.ui.dialogs.review import ReviewDialog
from app.ui.interview_controller import Phase
from app.ui.main_window import MainWindow

TIMEOUT_MS = 420_000
PAINT_MS = 400  # let a new screen lay out and paint on the X server before it is grabbed
STAR = ("Last year at my previous company, our fraud model was getting slower every week. Um, my goal was to bring "
        "the latency under fifty milliseconds. I profiled the service, and I rewrote the feature pipeline to batch "
        "requests. As a result, latency dropped by forty percent and we shipped on time.")

Wait = Any  # a signal to wait for, or a number of milliseconds
Step = Generator[Wait, Any, None]


class Stop(Exception):
    """A required check failed: the walk cannot go on."""


class Walk:
    """Runs a generator of steps: each `yield signal` resumes when the signal fires (with its arguments), each
    `yield ms` after that many milliseconds."""

    def __init__(self, app: QApplication, out: Path, tag: str) -> None:
        self.app, self.out, self.tag = app, out, tag
        self.failures: list[str] = []
        self.shots: list[str] = []
        self._n = 0
        self._gen: Step | None = None
        self._started = False

    def check(self, ok: object, what: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failures.append(what)

    def require(self, ok: object, what: str) -> None:
        """A check the rest of the walk depends on: when it fails, the walk stops here."""
        self.check(ok, what)
        if not ok:
            raise Stop(what)

    def shot(self, widget: QWidget, name: str) -> None:
        """Grab `widget`'s window as the X server shows it."""
        self._n += 1
        path = self.out / f"walk-{self.tag}-{self._n:02d}-{name}.png"
        g = widget.window().frameGeometry()
        pixmap = widget.screen().grabWindow(0, g.x(), g.y(), g.width(), g.height())
        saved = not pixmap.isNull() and pixmap.save(str(path))
        self.check(saved, f"screenshot {path.name} ({g.width()}x{g.height()})")
        self.shots.append(path.name)

    def run(self, steps: Step) -> None:
        self._gen = steps
        self._resume()

    def _resume(self, *args: object) -> None:
        assert self._gen is not None
        try:
            if self._started:
                wait = self._gen.send(args)
            else:
                self._started = True
                wait = next(self._gen)
        except StopIteration:
            self.app.quit()
            return
        except Exception as e:  # a broken step ends the walk with its reason
            if not isinstance(e, Stop):
                self.check(False, f"step raised {type(e).__name__}: {e}")
            self.app.quit()
            return
        if isinstance(wait, int):
            QTimer.singleShot(wait, self._resume)
            return

        def once(*got: object) -> None:
            wait.disconnect(once)
            QTimer.singleShot(0, lambda: self._resume(*got))

        wait.connect(once)


def walk(w: MainWindow, run: Walk, speech: Path) -> Step:
    c, page = w.controller, w.interview
    yield w.models_ready

    # 1. Analyse a recording made elsewhere, against a question from the bank, and keep it in History.
    question = w.services.bank.questions["beh-mentoring"]
    w.analyse_file(speech / "mfa_uhuh.flac", question)
    yield w.analysis_finished
    review = w.analysis.review
    run.require(review.isVisible() and not w.analysis.problem.isVisible(),
                f"the recording gets the full review ({w.analysis.problem.text() or 'no problem shown'})")
    run.check(review.coaching.fix_text().startswith("Say more"), "its coaching summary flags a short answer")
    run.check(len(review.timeline.timeline.of("filler")) >= 3, "its timeline shows the uh's")
    yield PAINT_MS
    run.shot(w, "analysis-review")
    w.analysis.save_button.click()
    (saved,) = yield w.analyses.saved
    run.check(w.services.store.session(saved).answers == 1, "Save to History stores it as a session")
    yield PAINT_MS
    run.shot(w, "analysis-saved")
    w.analysis.saved_note.linkActivated.emit("history")
    run.check(w.history.selected_session() == saved, "Open it in History selects it")
    yield PAINT_MS
    run.shot(w, "history-saved-analysis")

    # 2. An interview: answer question 1 from a recording; its review has the summary and the timeline.
    c.speak_questions = False
    w.home.select_preset("quick-3")
    w.home.start_button.click()
    page.record.answer_button.click()
    yield c.answer_ready
    run.check(page.review.heading.text() == "Your answer \u00b7 Take 1", "take 1 is labelled")
    run.check(bool(page.review.coaching.fix_text()), "the review opens with the coaching summary")
    yield PAINT_MS
    run.shot(w, "review-take1")

    # 3. Try again: take 1's feedback stays beside the record panel; then both takes side by side.
    page.retry_button.click()
    run.check(page.earlier.isVisible() and page.earlier.title() == "Take 1 feedback", "take 1's feedback stays")
    yield PAINT_MS
    run.shot(w, "try-again-with-take1-feedback")
    page.record.answer_button.click()
    yield c.answer_ready
    run.check("Compared with take 1" in page.review.comparison.text(), "take 2 is compared with take 1")
    yield PAINT_MS
    run.shot(w, "review-take2")
    page.review.show_side_by_side()
    run.check(page.review.takes.before.title() == "Take 1" and page.review.takes.after.title() == "Take 2",
              "the takes side by side")
    page.review.takes.before.player.play()
    yield 600
    run.check(page.review.takes.before.transcript.current is not None, "take 1 replays with its words highlighted")
    page.review.takes.after.player.play()
    run.check(not page.review.takes.before.player.playing, "one take plays at a time")
    yield PAINT_MS
    run.shot(w, "takes-side-by-side")
    page.review.takes.after.player.pause()

    # 4. Question 2 with the follow-up on: answer it, then answer the follow-up.
    page.next_button.click()
    page.follow_up.setChecked(True)
    page.record.answer_button.click()
    yield c.answer_ready
    run.check(bool(c.pending_follow_up) and page.follow_up_button.isEnabled(), "a follow-up is asked")
    yield PAINT_MS
    run.shot(w, "review-with-follow-up")
    page.follow_up_button.click()
    run.check(c.phase is Phase.RECORDING and page.question.text().startswith("Follow-up: "),
              "the follow-up is being answered")
    (answered,) = yield c.answer_ready
    run.check(answered.answers_follow_up and page.review.heading.text() == "Your answer \u00b7 Follow-up",
              "the follow-up answer is reviewed like any answer")
    yield PAINT_MS
    run.shot(w, "review-follow-up-answer")

    # 5. End session asks first; the summary's rows open their answers' reviews.
    page.end_button.click()
    run.check(page.end_box is not None and page.end_box.isVisible(), "End session asks for confirmation")
    yield PAINT_MS
    if page.end_box is not None:
        run.shot(page.end_box, "end-session-confirmation")
    if page.end_confirm is not None:
        page.end_confirm.click()
    if c.phase is not Phase.FINISHED:
        yield c.finished
    summary = page.summary
    rows = [summary.cell_text(r, 2) for r in range(summary.row_count())]
    run.check(rows == ["2", "1 + 1 follow-up", "Follow-up 1", "not reached"], f"the summary rows: {rows}")
    yield PAINT_MS
    run.shot(w, "session-summary")
    summary.table.selectRow(2)
    summary.open_button.click()
    dialog = w.findChildren(ReviewDialog)[-1]
    run.check(dialog.review.heading.text() == "Your answer \u00b7 Follow-up", "a summary row opens its review")
    yield PAINT_MS
    run.shot(dialog, "summary-row-review")
    dialog.close()

    # 6. The session in History; a stored take reopens in its review, compared with the take before.
    summary.findChild(type(summary.open_button), "summaryHistory").click()
    attempts = w.history.attempts
    takes = [attempts.cell_text(r, 2) for r in range(attempts.attempt_count())]
    run.check(takes == ["Take 1", "Take 2", "Take 1", "Follow-up"], f"History labels the takes: {takes}")
    attempts.table.selectRow(1)
    yield PAINT_MS
    run.shot(w, "history-session")
    attempts.review_button.click()
    stored = w.findChildren(ReviewDialog)[-1]
    run.check("Compared with take 1" in stored.review.comparison.text(), "the stored take 2 is compared")
    run.check(stored.width() <= w.width() and stored.height() <= w.height(), "the review window fits the window")
    yield PAINT_MS
    run.shot(stored, "history-review")
    stored.close()


def main(out: Path, size: str, speech: Path) -> int:
    app = application()
    width, height = (int(v) for v in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    star = Pyttsx3Speaker(rate=170).render(STAR, out / "walk-star-answer.wav")
    answers = {(1, 1): speech / "whisper_jfk.flac", (1, 2): star, (2, 1): speech / "mfa_youknow.flac",
               (2, 2): speech / "librispeech_1272-128104-0000.wav"}
    audio = AudioIO(lambda _q, p, t: FileRecorder(answers[(p, t)], realtime=False), lambda _path, _stop: None,
                    ClockPlayer)
    window = MainWindow(build(Config()), audio=audio)
    window.move(0, 0)
    window.resize(width, height)
    window.show()
    run = Walk(app, out, size)
    QTimer.singleShot(0, lambda: run.run(walk(window, run, speech)))
    QTimer.singleShot(TIMEOUT_MS, lambda: (run.check(False, f"timed out; banner: {window.banner.text()!r}"),
                                           app.quit()))
    app.exec()
    window.close()
    window.runner.shutdown()
    print(f"platform={app.platformName()} shots={len(run.shots)} failures={len(run.failures)}")
    return 0 if not run.failures and app.platformName() == "xcb" else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
