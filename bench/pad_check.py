"""How well the shipped model reads digits that are not MNIST's.

    python bench/pad_check.py [--count 2000]

Renders the digits 0–9 in every font installed on this machine (a source other
than the MNIST files), at random sizes, positions and slants on the pad's
280×280 canvas, prepares them with engine.preprocess.to_mnist exactly as the
pad does, and reports the shipped model's accuracy beside the MNIST test set's.
"""

import argparse
import os

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QTransform  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digit_descent.engine import load, load_model  # noqa: E402
from digit_descent.engine.preprocess import to_mnist  # noqa: E402
from digit_descent.gui.panels.pad_canvas import CANVAS  # noqa: E402
from digit_descent.gui.panels.reader import PRETRAINED  # noqa: E402
from digit_descent.gui.pixels import image_array  # noqa: E402


def render(digit, family, bold, italic, size, angle, dx, dy):
    image = QImage(CANVAS, CANVAS, QImage.Format_Grayscale8)
    image.fill(0)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    font = QFont(family)
    font.setPixelSize(size)
    font.setBold(bold)
    font.setItalic(italic)
    p.setFont(font)
    p.setPen(QColor(255, 255, 255))
    t = QTransform()
    t.translate(CANVAS / 2 + dx, CANVAS / 2 + dy)
    t.rotate(angle)
    p.setTransform(t)
    p.drawText(QPointF(-size * 0.3, size * 0.35), str(digit))
    p.end()
    return image_array(image, QImage.Format_Grayscale8).astype(np.float32) / 255


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication([])
    families = QFontDatabase.families()
    rng = np.random.default_rng(args.seed)
    net = load_model(PRETRAINED)
    labels, inputs = [], []
    for _ in range(args.count):
        digit = int(rng.integers(10))
        canvas = render(digit, families[rng.integers(len(families))], bool(rng.random() < 0.5),
                        bool(rng.random() < 0.3), int(rng.integers(60, 240)),
                        float(rng.uniform(-12, 12)), float(rng.uniform(-60, 60)),
                        float(rng.uniform(-60, 60)))
        labels.append(digit)
        inputs.append(to_mnist(canvas).reshape(-1))
    predicted = net.predict(np.array(inputs))
    accuracy = float(np.mean(predicted == np.array(labels)))
    test = load("mnist").test
    mnist_accuracy = float(np.mean(net.predict(test.x) == test.labels))
    print(f"fonts: {len(families)} families; {args.count} rendered digits at random sizes, "
          f"places and slants")
    print(f"shipped model: {accuracy:.1%} on rendered digits, {mnist_accuracy:.2%} on the MNIST test set")
    per_digit = [float(np.mean(predicted[np.array(labels) == d] == d)) for d in range(10)]
    print("per digit: " + "  ".join(f"{d}:{a:.0%}" for d, a in enumerate(per_digit)))


if __name__ == "__main__":
    main()
