"""Help: the keyboard shortcuts (from the action table), what the panels show, About."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout

from digit_descent.engine.lessons import sources

from .actions import APP_NAME, key_list

ABOUT = f"""<h2>{APP_NAME}</h2>
<p>Watch a neural network learn to read handwritten digits, live.</p>
<p>The embedded digits are the <b>MNIST database</b> by Yann LeCun, Corinna Cortes and
Christopher J. C. Burges, used under the Creative Commons Attribution-Share Alike 3.0 licence.
Fashion-MNIST is © Zalando SE (MIT licence).</p>
<p>The networks follow 3Blue1Brown's lectures on neural networks, Michael Nielsen's
<i>Neural Networks and Deep Learning</i> and Andrew Trask's <i>A Neural Network in 11 lines
of Python</i>. The lessons follow {"; ".join(sources())}.</p>"""


def shortcuts_html():
    """The key list as an HTML table, one row per command that has keys."""
    rows = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{text}</td></tr>"
                   for keys, text in key_list())
    return f"<table>{rows}</table>"


def show_shortcuts(parent):
    QMessageBox.information(parent, "Keyboard shortcuts", shortcuts_html())


def show_about(parent):
    QMessageBox.about(parent, APP_NAME, ABOUT)


def show_panel_help(parent, panels):
    """The help texts of ``panels`` in a scrolling window that fits any screen."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("What the panels show")
    text = QTextBrowser()
    text.setHtml("".join(f"<h3>{p.title}</h3><p>{p.help}</p>" for p in panels))
    close = QDialogButtonBox(QDialogButtonBox.Close)
    close.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text, 1)
    layout.addWidget(close)
    screen = parent.screen().availableGeometry()
    dialog.resize(min(760, screen.width() - 40), min(900, screen.height() - 80))
    dialog.show()
    return dialog
