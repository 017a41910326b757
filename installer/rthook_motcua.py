"""PyInstaller runtime hook: environment of the frozen application, set before any import.

- Tesseract runs one thread per worker process (see RECIPES/bench): four OpenMP threads per
  page on two cores were 4-5x slower.
- A bundled Tesseract (the Windows build puts it in ``tesseract/`` beside the libraries)
  is used before any installed one: its data folder becomes TESSDATA_PREFIX and its
  executable comes first on PATH, for the page workers (tesserocr) and the command alike.
"""

import os
import sys

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
_base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_tess = os.path.join(_base, "tesseract")
if os.path.isdir(os.path.join(_tess, "tessdata")):
    os.environ.setdefault("TESSDATA_PREFIX", os.path.join(_tess, "tessdata"))
    os.environ["PATH"] = _tess + os.pathsep + os.environ.get("PATH", "")
