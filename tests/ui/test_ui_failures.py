"""What the user sees when something is missing: no text-to-speech, no microphone, no speech, a model that
will not load. Each is a clear message in the window, and the rest stays usable. Also: the window is up
(and usable) long before the models are loaded."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.audio import write_wav
from app.audio_io import AudioIO
from app.config import Config
from app.errors import DeviceError
from app.formatting import sentence
from app.player import ClockPlayer
from app.recorder import MicRecorder
from app.services import Services, build
from app.ui.app import create_main_window
from app.ui.interview_controller import Phase
from app.ui.main_window import MainWindow

# Only catches a window that waits for the models before showing (they take far longer); the launch time
# itself is a figure bench/ui_launch.py prints.
LAUNCH_BUDGET_S = 10.0


class NoTTS:
    def render(self, text: str, dest: Path) -> Path:
        raise DeviceError("text-to-speech is unavailable (espeak-ng not found); install espeak-ng")


def open_window(qtbot: QtBot, services: Services, audio: AudioIO) -> MainWindow:
    w = MainWindow(services, audio=audio, warm_models=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_no_tts_engine_leaves_the_question_on_screen(qtbot: QtBot, services: Services,
                                                     audio_from_files: Callable[..., AudioIO]) -> None:
    audio = audio_from_files({})
    audio = AudioIO(audio.recorder_for, audio.play_voice, audio.new_player, NoTTS())
    w = open_window(qtbot, services, audio)
    w.start_interview("quick-3")
    page = w.interview
    qtbot.waitUntil(lambda: page.record.message.text().startswith("Could not read the question aloud"))
    assert "install espeak-ng" in page.record.message.text() and page.record.message.isVisible()
    assert page.voice_status.text() == ""  # not squeezed beside the voice buttons
    assert page.question.text() and page.answer_action.isEnabled()
    page.skip_action.trigger()
    assert page.progress.text().startswith("Question 2 of 3")
    w.close()


def test_a_model_that_will_not_load_is_reported_and_the_rest_works(qtbot: QtBot, viva_home: Path,
                                                                   tmp_path: Path, speech: Callable[[str], Path],
                                                                   audio_from_files: Callable[..., AudioIO]) -> None:
    services = build(Config(whisper_model=str(tmp_path / "missing-whisper")))
    w = open_window(qtbot, services, audio_from_files({(1, 1): speech("mfa_youknow.flac")}, realtime=False))
    with qtbot.waitSignal(w.models_ready) as ready:
        w.warm_models()
    assert ready.args == [False]
    assert w.banner.kind == "error"
    assert w.banner.text().startswith("The speech model could not be loaded: Whisper model not found in ")
    assert "history, progress and settings still work" in w.banner.text()
    w.show_history()
    w.show_progress()
    assert w.stack.currentWidget() is w.progress

    w.controller.speak_questions = False
    w.start_interview("quick-3")
    with qtbot.waitSignal(w.controller.answer_failed) as failed:
        qtbot.mouseClick(w.interview.record.answer_button, Qt.MouseButton.LeftButton)
    assert failed.args[0].startswith("The answer could not be recorded: Whisper model not found")
    assert w.interview.record.message.isVisible()
    assert w.controller.phase is Phase.ASKING and w.interview.skip_action.isEnabled()
    w.close()


@pytest.mark.models
def test_no_microphone_is_a_message_not_a_crash(qtbot: QtBot, services: Services) -> None:
    audio = AudioIO(lambda _q, _p, _t: MicRecorder("no such microphone"), lambda _p, _s: None, ClockPlayer)
    w = open_window(qtbot, services, audio)
    w.controller.speak_questions = False
    w.start_interview("quick-3")
    with qtbot.waitSignal(w.controller.answer_failed, timeout=60_000) as failed:
        w.interview.answer_action.trigger()
    assert "no usable microphone" in failed.args[0] and "choose another input device in settings" in failed.args[0]
    assert w.interview.record.message.text() == sentence(failed.args[0])  # boxed, as a sentence
    assert w.interview.answer_action.isEnabled()
    w.close()


@pytest.mark.models
def test_silence_asks_to_try_again(qtbot: QtBot, services: Services, tmp_path: Path,
                                   audio_from_files: Callable[..., AudioIO]) -> None:
    silence = tmp_path / "silence.wav"
    write_wav(silence, np.zeros(16000 * 2, dtype=np.float32))
    w = open_window(qtbot, services, audio_from_files({(1, 1): silence}, realtime=False))
    w.controller.speak_questions = False
    w.start_interview("quick-3")
    with qtbot.waitSignal(w.controller.answer_failed, timeout=60_000) as failed:
        w.interview.answer_action.trigger()
    assert failed.args[0].startswith("No speech was heard in that answer.")
    assert w.controller.phase is Phase.ASKING
    w.close()


def test_the_window_is_usable_within_budget_and_models_load_behind_it(qtbot: QtBot, viva_home: Path) -> None:
    t0 = time.perf_counter()
    w = create_main_window(None)
    qtbot.addWidget(w)
    ready: list[bool] = []
    w.models_ready.connect(ready.append)
    w.show()
    qtbot.waitExposed(w)
    shown = time.perf_counter() - t0
    assert shown < LAUNCH_BUDGET_S, f"window took {shown:.2f} s"
    # The models load in the background, with visible progress, while the window answers.
    qtbot.waitUntil(lambda: w.busy.busy and w.busy.label.text().startswith("Loading models"), timeout=5_000)
    w.commands.history.trigger()
    assert w.stack.currentWidget() is w.history
    qtbot.waitUntil(lambda: bool(ready), timeout=120_000)  # loaded, or a message in the banner
    assert ready == [True] or w.banner.kind == "error"
    qtbot.waitUntil(lambda: not w.busy.busy)
    w.close()


@pytest.mark.models
def test_ending_while_recording_keeps_nothing_of_the_answer(qtbot: QtBot, services: Services,
                                                            speech: Callable[[str], Path],
                                                            audio_from_files: Callable[..., AudioIO]) -> None:
    """End pressed mid-answer means "stop, I'm done": the fragment is not analysed or counted, the session is
    cancelled (not completed)."""
    w = open_window(qtbot, services, audio_from_files({(1, 1): speech("whisper_jfk.flac")}))
    w.controller.speak_questions = False
    w.start_interview("quick-3")
    page = w.interview
    page.answer_action.trigger()
    qtbot.waitUntil(lambda: page.record.elapsed_s() > 3, timeout=10_000)
    page.end_action.trigger()  # asks first: the answer being recorded would be lost
    assert page.end_box is not None and page.end_confirm is not None
    assert "The answer you are recording now will not be kept." in page.end_box.informativeText()
    with qtbot.waitSignal(w.controller.finished, timeout=60_000):
        page.end_confirm.click()
        assert w.controller.phase in (Phase.RECORDING, Phase.ANALYSING)
    assert page.stack.currentWidget() is page.summary
    assert page.summary.cell_text(0, 2) == "skipped"  # the fragment is no answer
    assert page.summary.headline.text() == "No answers recorded (1 of 3 questions asked)."
    db, sid = w.services.store.db, w.controller.session_id
    assert db.execute("SELECT status FROM sessions WHERE id = ?", [sid]).fetchone()[0] == "cancelled"
    assert [r[0] for r in db.execute("SELECT status FROM attempts WHERE session_id = ?", [sid])] == ["cancelled"]
    assert not list(w.services.store.audio_dir.rglob("q01-take*.wav"))  # its audio is removed
    w.close()
