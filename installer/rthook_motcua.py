"""PyInstaller runtime hook: Tesseract runs one thread per worker process (see RECIPES/bench)."""

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
