import pkgutil
import subprocess
import sys
from pathlib import Path

from digit_descent import engine

ROOT = Path(__file__).resolve().parents[2]


def test_engine_imports_with_qt_blocked():
    modules = [f"digit_descent.engine.{m.name}" for m in pkgutil.iter_modules(engine.__path__)]
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"import {', '.join(modules)}\n"
        "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 8
