"""The answer's transcript, word by word: fillers, hedges, long pauses and rubric evidence marked; the word
being played highlighted; a click on a word asks to seek there.

The document is built with a cursor, one fragment per word, so each word's character range is known and
the moving highlights are extra selections (nothing is re-laid out while audio plays).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from app.review.marks import WordMark

FILLER_BG = "#fde2b8"
FILLER_FG = "#7a4100"
HEDGE_FG = "#7b1fa2"
EVIDENCE_BG = "#c8ecd2"
CURRENT_BG = "#aecbfa"
PAUSE_FG = "#5f6368"
LONG_PAUSE_FG = "#b3261e"
FILLER_NAMES = {"filled_pause": "filled pause", "discourse": "discourse filler", "repetition": "repetition"}


def legend_html() -> str:
    return (f'<span style="background:{FILLER_BG}; color:{FILLER_FG}">&nbsp;filler&nbsp;</span> &nbsp; '
            f'<i style="color:{HEDGE_FG}">hedge</i> &nbsp; '
            f'<span style="color:{PAUSE_FG}">(pause)</span> &nbsp; '
            f'<span style="background:{EVIDENCE_BG}">&nbsp;evidence for the selected point&nbsp;</span> &nbsp; '
            f'<span style="background:{CURRENT_BG}">&nbsp;playing&nbsp;</span> &nbsp; '
            '<span style="color:#5f6368">(click a word to play from there)</span>')


class TranscriptView(QTextBrowser):
    word_clicked = Signal(int)  # index of the word the user clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewTranscript")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.marks: list[WordMark] = []
        self.spans: list[tuple[int, int]] = []  # each word's character range in the document
        self.current: int | None = None
        self.focused_item: str | None = None
        self.long_pause_s = 2.0

    # -- content ---------------------------------------------------------------------------------------

    def set_marks(self, marks: Sequence[WordMark], long_pause_s: float = 2.0) -> None:
        self.marks, self.spans = list(marks), []
        self.long_pause_s = long_pause_s
        self.current, self.focused_item = None, None
        self.clear()
        cursor = QTextCursor(self.document())
        plain = QTextCharFormat()
        for m in self.marks:
            if m.index:
                cursor.insertText(" ", plain)
            if m.pause_before_s:
                cursor.insertText(f"(pause {m.pause_before_s:.1f} s) ", self._pause_format(m.pause_before_s))
            start = cursor.position()
            cursor.insertText(m.word.text, self._word_format(m))
            self.spans.append((start, cursor.position()))
        if not self.marks:
            self.setPlaceholderText("No words were recognised in this answer.")
        self.setExtraSelections([])
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _pause_format(self, seconds: float) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setForeground(QColor(LONG_PAUSE_FG if seconds >= self.long_pause_s else PAUSE_FG))
        f.setFontPointSize(max(6.0, self.font().pointSizeF() * 0.8))
        f.setToolTip(f"{seconds:.1f} s pause" + (" (long)" if seconds >= self.long_pause_s else ""))
        return f

    def _word_format(self, m: WordMark) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setAnchor(True)
        f.setAnchorHref(f"#w{m.index}")
        tips = [f"{m.word.start:.1f} s"]
        if m.filler:
            f.setBackground(QColor(FILLER_BG))
            f.setForeground(QColor(FILLER_FG))
            tips.append(FILLER_NAMES.get(m.filler, "filler"))
        elif m.hedge:
            f.setForeground(QColor(HEDGE_FG))
            f.setFontItalic(True)
            tips.append("hedge")
        if m.evidence_for:
            tips.append("evidence: " + ", ".join(m.evidence_for))
        f.setToolTip(" \u00b7 ".join(tips))
        return f

    # -- highlights ------------------------------------------------------------------------------------

    def highlight_word(self, index: int | None) -> None:
        """Mark the word being played (None: none)."""
        if index != self.current:
            self.current = index
            self._refresh_selections()
            if index is not None:
                self._scroll_to(self.spans[index][0])

    def show_evidence(self, item_id: str | None) -> bool:
        """Highlight the words quoted as evidence for `item_id` and scroll to them; False if it has none."""
        self.focused_item = item_id
        self._refresh_selections()
        words = self.evidence_indices(item_id)
        if words:
            self._scroll_to(self.spans[words[0]][0])
        return bool(words)

    def evidence_indices(self, item_id: str | None) -> list[int]:
        return [m.index for m in self.marks if item_id is not None and item_id in m.evidence_for]

    def highlighted_text(self) -> str:
        """The evidence words currently highlighted, as the user reads them."""
        return " ".join(self.marks[i].word.text for i in self.evidence_indices(self.focused_item))

    def marked_words(self, kind: str) -> list[str]:
        """The words shown as `kind`: 'filler', 'hedge' or 'evidence'."""
        test = {"filler": lambda m: m.filler is not None, "hedge": lambda m: m.hedge and m.filler is None,
                "evidence": lambda m: bool(m.evidence_for)}[kind]
        return [m.word.text for m in self.marks if test(m)]

    def pause_marks(self) -> list[float]:
        return [m.pause_before_s for m in self.marks if m.pause_before_s]

    def word_rect(self, index: int) -> QRect:
        """Where word `index` is drawn, in viewport coordinates (for clicking it)."""
        cursor = QTextCursor(self.document())
        start, end = self.spans[index]
        cursor.setPosition(start)
        left = self.cursorRect(cursor)
        cursor.setPosition(end)
        right = self.cursorRect(cursor)
        return QRect(left.topLeft(), right.bottomLeft()).normalized().adjusted(0, 0, max(1, right.x() - left.x()), 0)

    def _selection(self, index: int, colour: str) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        start, end = self.spans[index]
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(colour))
        sel.format = fmt
        return sel

    def _refresh_selections(self) -> None:
        selections = [self._selection(i, EVIDENCE_BG) for i in self.evidence_indices(self.focused_item)]
        if self.current is not None:
            selections.append(self._selection(self.current, CURRENT_BG))
        self.setExtraSelections(selections)

    def _scroll_to(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _on_anchor(self, url: QUrl) -> None:
        ref = url.toString()
        if ref.startswith("#w") and ref[2:].isdigit() and int(ref[2:]) < len(self.marks):
            self.word_clicked.emit(int(ref[2:]))
