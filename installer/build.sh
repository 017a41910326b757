#!/usr/bin/env bash
# Build the frozen application and the Debian package, from a clean build environment.
#   bash installer/build.sh            # dist/motcua/ (one folder) and dist/motcua_<version>_<arch>.deb
# Environment:
#   MOTCUA_BUILD_DIR   work folder (default build/): its venv/ is the build environment
#   MOTCUA_DIST_DIR    output folder (default dist/)
#   MOTCUA_BUILD_FRESH=1   recreate the build environment even if it matches pyproject.toml
#   MOTCUA_BUILD_VENV_CACHE=DIR  keep the build environment in DIR/venv-<hash of pyproject.toml, PyInstaller,
#                          Python> instead of the work folder, shared by builds of the same dependencies
#                          (the test suite's: a new work folder each session); others unused for 7 days go
#   MOTCUA_SKIP_DEB=1      only the one-folder application
#   MOTCUA_SKIP_LINTIAN=1  build the .deb without running lintian on it
# The build environment is a virtual environment of its own with the project's runtime
# dependencies and PyInstaller only (no test tools, no editable install): what the bundle
# can import is what a workstation gets.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$(realpath -m "${MOTCUA_BUILD_DIR:-build}")
DIST=$(realpath -m "${MOTCUA_DIST_DIR:-dist}")
PY=${PYTHON:-python3}
PYINSTALLER_VERSION=6.22.3
mkdir -p "$BUILD" "$DIST"

# timestamps in the log: where a build's minutes go (tests/installer/test_frozen.py keeps the log)
SECONDS=0
phase() { echo "==> [${SECONDS}s] $*"; }

want=$( (cat pyproject.toml; echo "pyinstaller==$PYINSTALLER_VERSION"; "$PY" -VV) | sha256sum | cut -c1-16)
if [ -n "${MOTCUA_BUILD_VENV_CACHE:-}" ]; then
  mkdir -p "$MOTCUA_BUILD_VENV_CACHE"
  VENV=$(realpath -m "$MOTCUA_BUILD_VENV_CACHE/venv-$want")
  find "$MOTCUA_BUILD_VENV_CACHE" -maxdepth 1 -name 'venv-*' ! -name "venv-$want*" -mtime +7 -exec rm -rf {} + || true
  exec 9>"$VENV.lock"
  flock 9  # one build makes it, a concurrent one waits and then finds it made
else
  VENV=$BUILD/venv
fi
if [ "${MOTCUA_BUILD_FRESH:-0}" = 1 ] || [ ! -f "$VENV/.stamp" ] || [ "$(cat "$VENV/.stamp")" != "$want" ]; then
  phase "build environment $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  # --no-compile: PyInstaller compiles what it freezes itself; the environment's own byte code is never used
  "$VENV/bin/python" -m pip install -q --no-compile --upgrade pip wheel
  # the runtime dependencies as pyproject.toml declares them (the sources are analysed in place)
  mapfile -t deps < <("$VENV/bin/python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))')
  "$VENV/bin/python" -m pip install -q --no-compile "pyinstaller==$PYINSTALLER_VERSION" "${deps[@]}"
  echo "$want" > "$VENV/.stamp"
else
  phase "build environment $VENV (made before for the same dependencies)"
fi
touch "$VENV/.stamp"  # in use: not pruned
exec 9>&-  # the lock guarded the making only
VERSION=$("$VENV/bin/python" -c 'import sys; sys.path.insert(0, "."); from desktop import __version__; print(__version__)')

phase icons
"$VENV/bin/python" installer/make_icon.py "$BUILD/icons"

phase "PyInstaller: $DIST/motcua"
rm -rf "$DIST/motcua"
MOTCUA_ICON_DIR="$BUILD/icons" "$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" installer/motcua.spec
APP=$DIST/motcua
phase "strip, shared copies, OpenCV's LAPACK, fonts"
# PyInstaller links top-level names to Qt libraries that plugins dropped by the spec needed:
# with the library gone the link dangles
find "$APP" -xtype l -delete
# Strip debugging symbols, but only from files that auditwheel did not rewrite: strip on a
# patchelf-ed library (everything in *.libs/, and the modules whose run path points there)
# makes it unloadable ("ELF load command address/offset not page-aligned", numpy's OpenBLAS).
find "$APP/_internal" -type f -name '*.so*' ! -path '*.libs/*' -print0 | while IFS= read -r -d '' f; do
  readelf -d "$f" 2>/dev/null | grep -E '\((RPATH|RUNPATH)\)' | grep -q '\.libs' && continue
  if file -b "$f" | grep -q "not stripped"; then strip --strip-unneeded "$f"; fi
done
# The same library shipped by two wheels (tesserocr's and pikepdf's libjpeg are one file, byte for byte): keep
# one copy, the others become relative links to it (the loader follows them; one soname is loaded once).
find "$APP/_internal" -type f -name '*.so*' -size +64k -print0 | xargs -0 sha256sum | sort | \
  while read -r sum f; do
    if [ "$sum" = "${prev_sum:-}" ]; then ln -sfr "$prev_file" "$f"; else prev_sum=$sum; prev_file=$f; fi
  done
# OpenCV's BLAS/LAPACK from the distribution (installer/motcua.spec leaves the wheel's OpenBLAS out): the
# name cv2 was linked against becomes a link to Debian's liblapack.so.3 (the alternatives' link, so a centre
# that installs libopenblas0 gets that one), whose libblas.so.3 has the CBLAS routines too
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)  # /sbin may be off a user's PATH
blas=$(readelf -d "$APP"/_internal/cv2/cv2*.so 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(libopenblas[^]]*\)\]/\1/p' || true)
if [ -n "$blas" ] && [ ! -e "$APP/_internal/opencv_python_headless.libs/$blas" ]; then
  lapack=$("$LDCONFIG" -p | awk '$1 == "liblapack.so.3" && !found {print $NF; found = 1}')
  [ -n "$lapack" ] || { echo "liblapack.so.3 not found: apt-get install liblapack3 libblas3" >&2; exit 1; }
  case $lapack in /lib/*) [ -e "/usr$lapack" ] && lapack=/usr$lapack ;; esac  # ldconfig names /lib; dpkg ships /usr/lib
  ln -sfn "$lapack" "$APP/_internal/opencv_python_headless.libs/$blas"
fi
# fonts for PDFs (Liberation Serif, metric-compatible with Times New Roman; SIL OFL): links to the system's
# fonts-liberation2, which the .deb depends on, not copies of it (a copy is lintian's duplicate-font-file, and
# would not get the distribution's font updates); desktop/kernel/fonts.py looks there first anyway
mkdir -p "$APP/_internal/resources/fonts"
for f in /usr/share/fonts/truetype/liberation2/LiberationSerif-{Regular,Bold,Italic}.ttf; do
  [ -f "$f" ] || { echo "missing $f: apt-get install fonts-liberation2" >&2; exit 1; }
  ln -sfn "$f" "$APP/_internal/resources/fonts/"
done

phase "checking the bundle"
missing=0
for rel in resources/i18n/main_vi.qm resources/i18n/queue_vi.qm resources/i18n/scanning_vi.qm \
           resources/i18n/signing_vi.qm resources/i18n/qtbase_vi.qm resources/catalogue/procedures.json \
           resources/calendar/vn_adjustments.json resources/signing/profiles.json resources/fonts/LiberationSerif-Regular.ttf \
           desktop/migrations/env.py desktop/migrations/script.py.mako \
           PySide6/Qt/plugins/printsupport/libcupsprintersupport.so; do
  [ -e "$APP/_internal/$rel" ] || { echo "missing from the bundle: $rel" >&2; missing=1; }
done
ls "$APP"/_internal/desktop/migrations/versions/*.py >/dev/null || missing=1
# every Qt module the application imports is bundled (the print preview needs QtPrintSupport)
for mod in $(grep -rhoE 'from PySide6\.Qt[A-Za-z]+ import|import PySide6\.Qt[A-Za-z]+' ui desktop scanning signing \
             | grep -oE 'Qt[A-Za-z]+$|Qt[A-Za-z]+ import' | cut -d' ' -f1 | sort -u); do
  compgen -G "$APP/_internal/PySide6/$mod.*" >/dev/null || { echo "Qt module the application imports is not bundled: $mod" >&2; missing=1; }
done
for mod in QtNetwork QtQml QtQuick QtPdf QtSql QtTest; do
  if compgen -G "$APP/_internal/PySide6/$mod.*" >/dev/null || compgen -G "$APP/_internal/PySide6/Qt/lib/libQt6$mod.so*" >/dev/null; then
    echo "unused Qt module bundled: $mod" >&2; missing=1
  fi
done
# every library the bundle's binaries need is in the bundle or on the system
notfound=$(find "$APP" -type f -name '*.so*' -print0 | LD_LIBRARY_PATH="$APP/_internal" xargs -0 ldd 2>/dev/null \
  | grep "not found" | sort -u || true)
if [ -n "$notfound" ]; then echo "unresolved libraries in the bundle:" >&2; echo "$notfound" >&2; missing=1; fi
# the libraries left to the distribution (installer/motcua.spec): each one the bundle links directly must come
# from a package the .deb depends on (theirs come with them)
if command -v dpkg >/dev/null; then
  depends=$(sed -n 's/^Depends: //p' installer/linux/control | tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g')
  bundled=$(find "$APP/_internal" \( -type f -o -type l \) -name '*.so*' -printf '%f\n' | sort -u)
  needed=$(find "$APP" -type f \( -name '*.so*' -o -name motcua \) -print0 | xargs -0 readelf -d 2>/dev/null \
    | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
  # one ldconfig and one dpkg -S for all of them (dpkg -S reads every package's file list: ~0.7 s a call,
  # half a minute one library at a time); awk reads here-strings, not pipes: an early exit would SIGPIPE the
  # writer, and pipefail + set -e would end the script silently (it did, under load, in the test suite's build)
  ldcache=$("$LDCONFIG" -p)
  declare -A lib_path=()
  paths=()
  for lib in $(comm -23 <(echo "$needed") <(echo "$bundled")); do
    path=$(awk -v l="$lib" '$1 == l && !found {print $NF; found = 1}' <<<"$ldcache")
    lib_path[$lib]=$path
    [ -n "$path" ] && paths+=("$path" "$(realpath "$path")")
  done
  owners=$( [ ${#paths[@]} = 0 ] || dpkg -S "${paths[@]}" 2>/dev/null || true)
  for lib in "${!lib_path[@]}"; do
    path=${lib_path[$lib]}
    pkg=""
    if [ -n "$path" ]; then  # the path as ldconfig names it, else the file it links to (/lib is /usr/lib)
      pkg=$(awk -v p="$path" -v r="$(realpath "$path")" '
        $NF == p && a == "" {a = $0} $NF == r && b == "" {b = $0}
        END {x = a != "" ? a : b; sub(/:.*/, "", x); print x}' <<<"$owners")
    fi
    if [ -z "$pkg" ]; then echo "no package provides $lib, which the bundle links" >&2; missing=1
    elif ! grep -qx "$pkg" <<<"$depends"; then echo "$lib comes from $pkg: add it to Depends in installer/linux/control" >&2; missing=1
    fi
  done
fi
[ "$missing" = 0 ] || exit 1
phase "bundle: $(du -sm "$APP" | cut -f1) MB"

[ "${MOTCUA_SKIP_DEB:-0}" = 1 ] && exit 0
VERSION=$VERSION BUILD=$BUILD DIST=$DIST bash installer/linux/build-deb.sh
