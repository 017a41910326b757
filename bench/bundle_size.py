"""What takes the space in the frozen bundle: apparent sizes in MiB by component.

Each component is a group of top-level items of ``_internal`` (a wheel's package and its
``*.libs`` folder together); links are not counted, so a library kept once and linked from
elsewhere counts once. The "distribution" line is what PyInstaller copied from the build
machine's own /lib (the top-level ``*.so*`` files that are neither libpython nor an extension
module). Run it on two bundles to compare them:

    python3 bench/bundle_size.py /tmp/bundle_before/motcua dist/motcua
"""

from __future__ import annotations

import sys
from pathlib import Path

GROUPS = {
    "OpenCV (cv2, opencv_python_headless.libs)": ["cv2", "opencv_python_headless.libs"],
    "Qt (PySide6, shiboken6)": ["PySide6", "shiboken6"],
    "numpy (+ numpy.libs)": ["numpy", "numpy.libs"],
    "tesserocr (+ tesserocr.libs)": ["tesserocr", "tesserocr.libs"],
    "Pillow": ["PIL", "pillow.libs"],
    "psycopg binary": ["psycopg_binary", "psycopg_binary.libs", "psycopg"],
    "cryptography": ["cryptography"],
    "sqlcipher3": ["sqlcipher3"],
    "pikepdf (+ pikepdf.libs)": ["pikepdf", "pikepdf.libs"],
    "lxml": ["lxml"],
    "uharfbuzz": ["uharfbuzz"],
    "holidays": ["holidays"],
}
MIB = 2**20


def size(path: Path) -> int:
    if path.is_symlink() or not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def breakdown(bundle: Path) -> dict[str, float]:
    internal = bundle / "_internal"
    rows: dict[str, float] = {}
    for label, names in GROUPS.items():
        rows[label] = sum(size(internal / n) for n in names) / MIB
    rows["Python (executable with the PYZ, libpython, lib-dynload, base_library)"] = (
        size(bundle / "motcua") + size(internal / "libpython3.11.so.1.0") + size(internal / "python3.11")
        + size(internal / "base_library.zip")) / MIB
    rows["the distribution's libraries (top-level *.so*)"] = sum(
        size(f) for f in internal.glob("*.so*")
        if not f.name.startswith("libpython") and not f.name.endswith("-linux-gnu.so")) / MIB
    total = size(bundle) / MIB
    rows["rest"] = total - sum(rows.values())
    qt_lib = internal / "PySide6" / "Qt" / "lib"
    rows["  of Qt: ICU"] = sum(size(f) for f in qt_lib.glob("libicu*")) / MIB
    cv_libs = internal / "opencv_python_headless.libs"
    rows["  of OpenCV: cv2.abi3.so"] = size(internal / "cv2" / "cv2.abi3.so") / MIB
    rows["  of OpenCV: FFmpeg and its codecs"] = sum(
        size(f) for f in cv_libs.glob("*") if f.name.startswith(("libav", "libsw", "libaom", "libvpx", "libdav1d"))) / MIB
    rows["  of OpenCV: OpenBLAS and gfortran"] = sum(
        size(f) for f in cv_libs.glob("*") if f.name.startswith(("libopenblas", "libgfortran", "libquadmath"))) / MIB
    rows["total"] = total
    return rows


def main() -> None:
    bundles = [Path(a) for a in sys.argv[1:]] or [Path("dist/motcua")]
    tables = [breakdown(b) for b in bundles]
    width = max(len(k) for k in tables[0])
    print(" " * width + "".join(f"{str(b):>28}" for b in bundles))
    for key in tables[0]:
        print(f"{key:<{width}}" + "".join(f"{t[key]:>28.1f}" for t in tables))


if __name__ == "__main__":
    main()
