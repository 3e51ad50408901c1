"""Trask's network as David Code's guide tells it: per customer (the survey's answers), at
any iteration, l2, l2_error, the slope read as confidence, l2_delta = error × slope, then
l1_error, l1_delta and the update, computed by his own loop (engine/trask.py)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QSpinBox, QTableWidget,
                               QTableWidgetItem)

from digit_descent.engine import trask

from .. import style
from ..jobs import Jobs
from .base import SMALL_PT, TEXT_PT, LessonView, text_label

COLUMNS = ("l2\n(prediction)", "l2_error\n= y − l2", "slope l2(1 − l2)\n(confidence)",
           "l2_delta =\nerror × slope")
ANSWER = {1.0: "yes", 0.0: "no"}


def _table(rows, columns):
    table = QTableWidget(rows, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    style.sized_text(table, TEXT_PT)
    return table


def confidence(slope):
    """The guide's reading of the sigmoid's slope (at most 0.25, where l2 = 0.5)."""
    return "not confident" if slope > 0.15 else "fairly confident" if slope > 0.05 else "confident"


class TraskTablesView(LessonView):
    """The customers' table and the guide's tables at the iteration of the spin box."""

    def __init__(self, parent=None):
        super().__init__("Trask's network, as David Code's guide tells it: the tables per "
                         "customer", parent)
        bar = QHBoxLayout()
        bar.addWidget(text_label("Iteration (0 to 59,999):", wrap=False))
        self.iteration = QSpinBox()
        self.iteration.setRange(0, trask.ITERATIONS - 1)
        self.iteration.setSingleStep(trask.REPORT_EVERY)
        self.iteration.setKeyboardTracking(False)
        style.sized_text(self.iteration, TEXT_PT)
        bar.addWidget(self.iteration)
        self.status = text_label("")
        bar.addWidget(self.status, 1)
        self.layout_.addLayout(bar)
        columns = (*(q.replace(" ", "\n", 1) for q in trask.QUESTIONS),
                   trask.OUTPUT.replace(" ", "\n", 1) + " (y)", *COLUMNS)
        self.outputs = _table(len(trask.X), columns)
        self.hidden = _table(len(trask.X), ("customer", "l1 (hidden layer)", "l1_error",
                                            "l1_delta"))
        self.updates = text_label("")
        for widget in (self.outputs, text_label("Layer 1: l1_error = l2_delta · syn1ᵀ, "
                                                "l1_delta = l1_error × l1(1 − l1)"),
                       self.hidden, self.updates):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.layout_.addWidget(text_label(
            "<i>The guide's own tables use illustrative numbers; these are computed by "
            "Trask's code (seed 1), digit for digit.</i>", SMALL_PT))
        self._jobs = Jobs(self)
        self.table = None
        style.keep(self, lambda view: view._fit_tables())  # after the tables' own restyling
        self.iteration.valueChanged.connect(self.show_iteration)
        self.show_iteration(0)

    def _fit_tables(self):
        """Each table whole, at the zoom's type size: no inner scroll bars (the column scrolls
        instead)."""
        for table_widget in (self.outputs, self.hidden):
            table_widget.resizeColumnsToContents()
            table_widget.resizeRowsToContents()
            frame = 2 * table_widget.frameWidth()
            table_widget.setMinimumWidth(table_widget.horizontalHeader().length() + frame)
            table_widget.setFixedHeight(table_widget.horizontalHeader().height() + frame
                                        + table_widget.verticalHeader().length())

    def show_iteration(self, i):
        self.status.setText(f"<i>computing iteration {i:,}…</i>")
        self._jobs.start(lambda job: trask.tables(at=[i])[0], self._show, self.status.setText)

    def _show(self, table):
        self.table = table
        self.status.setText(f"mean |l2_error| = {sum(abs(e) for e in table['l2_error']) / 4:.6f}")
        for row, answers in enumerate(trask.X):
            cells = [ANSWER[float(a)] for a in answers] + [ANSWER[float(trask.Y[row, 0])]]
            slope = table["slope"][row]
            cells += [f"{table['l2'][row]:.4f}", f"{table['l2_error'][row]:+.4f}",
                      f"{slope:.4f} {confidence(slope)}", f"{table['l2_delta'][row]:+.5f}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignCenter)
                self.outputs.setItem(row, col, item)
            hidden = [f"customer {row + 1}",
                      "  ".join(f"{v:.3f}" for v in table["l1"][row]),
                      "  ".join(f"{v:+.4f}" for v in table["l1_error"][row]),
                      "  ".join(f"{v:+.5f}" for v in table["l1_delta"][row])]
            for col, text in enumerate(hidden):
                self.hidden.setItem(row, col, QTableWidgetItem(text))
        self._fit_tables()
        syn0 = "<br>".join("  ".join(f"{v:+.5f}" for v in r) for r in table["syn0_update"])
        self.updates.setText(
            "Update this iteration: syn1 += l1ᵀ · l2_delta = ["
            + ", ".join(f"{v:+.5f}" for v in table["syn1_update"])
            + f"]; &nbsp; syn0 += l0ᵀ · l1_delta =<br><tt>{syn0}</tt>")
