"""The frozen application as a workstation gets it: built by installer/build.sh, run with no
``.venv`` on PATH and a fresh HOME; the Debian package installed by dpkg into a temporary
root (its own dpkg database there), run from there and removed; the NSIS script compiled
with the Linux bundle as its payload.

The bundle and the package are built once per session into a temporary folder (nothing is
cached in the repository across runs; the build environment, a venv of the runtime dependencies
and PyInstaller, is kept in the user's cache folder, one per set of dependencies). Building
takes a few minutes on two cores: the tests are marked slow.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop import __version__
from tests.cli import signed_in_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("desktop", "ui", "scanning", "signing")


@dataclass
class Build:
    build: Path
    dist: Path
    log: str

    @property
    def app(self) -> Path:
        return self.dist / "motcua"

    @property
    def exe(self) -> Path:
        return self.app / "motcua"


def _run_build(cmd: list[str], env: dict[str, str], log: Path) -> str:
    with log.open("w") as out:
        r = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1500)
    text = log.read_text(errors="replace")
    if r.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({r.returncode}):\n" + "\n".join(text.splitlines()[-60:]))
    return text


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    reuse = os.environ.get("MOTCUA_TEST_REUSE_BUILD")  # a developer's iteration on the tests only; CI builds
    if reuse:
        return Build(Path(reuse) / "build", Path(reuse) / "dist", "")
    base = tmp_path_factory.mktemp("frozen")
    # the build environment (a venv with the runtime dependencies and PyInstaller, ~100 s to make) is kept
    # between sessions, one per hash of pyproject.toml + PyInstaller + Python: the bundle and the package are
    # still made afresh from it each session
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "motcua-build"
    env = {**os.environ, "MOTCUA_BUILD_DIR": str(base / "build"), "MOTCUA_DIST_DIR": str(base / "dist"),
           "MOTCUA_SKIP_DEB": "1", "MOTCUA_BUILD_VENV_CACHE": str(cache)}
    log = _run_build(["bash", "installer/build.sh"], env, base / "build.log")
    return Build(base / "build", base / "dist", log)


@pytest.fixture(scope="session")
def deb(build: Build) -> tuple[Path, str]:
    # xz takes minutes on 400 MB (the release build uses it); zstd would be quicker still, but lintian
    # refuses it (malformed-deb-archive: the archive takes gzip, xz, bzip2, lzma)
    env = {**os.environ, "VERSION": __version__, "BUILD": str(build.build), "DIST": str(build.dist),
           "MOTCUA_DEB_COMPRESSION": "gzip:1"}
    log = _run_build(["bash", "installer/linux/build-deb.sh"], env, build.build / "deb.log")
    debs = list(build.dist.glob("motcua_*.deb"))
    assert len(debs) == 1
    return debs[0], log


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a workstation user has: system PATH only (no .venv), a new HOME, no MOTCUA_* settings."""
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "MOTCUA_SYSTEM_CONFIG": str(home / "no-system-file.toml")}
    env.update(extra)
    return env


def frozen(exe: Path, env: dict[str, str], *args: str, timeout: float = 300,
           stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout, input=stdin,
                          cwd=env["HOME"])


def test_bundle_contents(build: Build) -> None:
    internal = build.app / "_internal"
    for rel in ("resources/i18n/main_vi.qm", "resources/i18n/qtbase_vi.qm", "resources/catalogue/procedures.json",
                "resources/fonts/LiberationSerif-Regular.ttf", "desktop/migrations/env.py"):
        assert (internal / rel).is_file(), rel
    assert list((internal / "desktop" / "migrations" / "versions").glob("0001_*.py"))
    # the PDF fonts are the system's fonts-liberation2 (a Depends of the .deb), linked, not copied
    for style in ("Regular", "Bold", "Italic"):
        font = internal / "resources" / "fonts" / f"LiberationSerif-{style}.ttf"
        assert font.is_symlink() and os.readlink(font).startswith("/usr/share/fonts/truetype/liberation2/"), font
    # the Qt modules the application does not use are left out
    names = {p.name for p in internal.rglob("*")}
    for unused in ("QtNetwork", "QtQml", "QtQuick", "QtPdf", "QtSql", "QtWebEngineCore"):
        assert not any(n.startswith((f"{unused}.", f"libQt6{unused[2:]}.")) for n in names), unused
    # Linux takes SANE from the system (its backends link against the system's libsane)
    assert not any(n.startswith("libsane") for n in names)
    # every Qt module the application imports is there (QtPrintSupport was left out while the print preview
    # and the Settings screen imported it), with the CUPS print plugin behind QPrinterInfo
    imported = {line.split()[1].split(".")[1] for f in ROOT.glob("*/**/*.py") if f.parts[len(ROOT.parts)] in LAYERS
                for line in f.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("from PySide6.Qt")}
    assert "QtPrintSupport" in imported
    for mod in imported:
        assert list((internal / "PySide6").glob(f"{mod}.*")), mod
    assert (internal / "PySide6" / "Qt" / "plugins" / "printsupport" / "libcupsprintersupport.so").is_file()
    # OpenCV's own OpenBLAS (and its gfortran) is left out: the name cv2 links resolves to Debian's LAPACK
    blas = list((internal / "opencv_python_headless.libs").glob("libopenblas*"))
    assert len(blas) == 1 and blas[0].is_symlink() and os.readlink(blas[0]).endswith("/liblapack.so.3"), blas
    assert not list((internal / "opencv_python_headless.libs").glob("libgfortran*"))


def test_version_and_self_test(build: Build, tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    r = frozen(build.exe, env, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"motcua {__version__}"
    r = frozen(build.exe, env, "self-test", "--json")
    report = json.loads(r.stdout)
    assert report["version"] == __version__ and report["build"]["kind"] == "bundle"
    failed = [c for c in report["checks"] if c["required"] and not c["ok"]]
    assert r.returncode == 0 and not failed, failed
    assert (tmp_path / "home" / ".local" / "share" / "motcua").is_dir()  # the fresh HOME's data folder


def test_digitize_with_page_workers_started_from_the_frozen_executable(build: Build, tmp_path: Path) -> None:
    import cv2

    from scanning.samples import render

    pages = []
    for i in range(2):  # two pages: both page workers get one
        p = tmp_path / f"page{i}.png"
        cv2.imwrite(str(p), render())
        pages.append(str(p))
    env = clean_env(tmp_path / "home")
    out = tmp_path / "out.pdf"
    r = frozen(build.exe, env, "digitize", *pages, "-o", str(out), "--workers", "2", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["pages"] == 2 and len(report["page_reports"]) == 2
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "KHAI SINH" in text.upper()


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object]]:
    from tests.signing.hsm import make_token
    from tests.signing.pki import TestPKI

    pki = TestPKI(tmp_path_factory.mktemp("pki"))
    tok = make_token(tmp_path_factory.mktemp("hsm"), pki)
    yield tok, pki
    pki.close()


def test_sign_with_a_softhsm_token(build: Build, token: tuple[object, object], tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    tok, pki = token
    src = tmp_path / "doc.pdf"
    c = canvas.Canvas(str(src))
    c.drawString(72, 720, "Giay khai sinh - ban so hoa")
    c.save()
    env = signed_in_env(clean_env(tmp_path / "home", SOFTHSM2_CONF=str(tok.conf), MY_PIN=tok.pin))  # type: ignore[attr-defined]
    out = tmp_path / "signed.pdf"
    r = frozen(build.exe, env, "sign", str(src), "-o", str(out), "--profile", "copy", "--pkcs11-module",
               tok.module, "--token-label", tok.label, "--key-id", "01", "--pin-env", "MY_PIN",  # type: ignore[attr-defined]
               "--trust", str(pki.ca_pem))  # type: ignore[attr-defined]
    assert r.returncode == 0, r.stderr
    r = frozen(build.exe, env, "verify", str(out), "--trust", str(pki.ca_pem), "--json")  # type: ignore[attr-defined]
    assert r.returncode == 0 and json.loads(r.stdout)["valid"], r.stdout + r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dossier_server_submit_sign_and_drain(build: Build, token: tuple[object, object], tmp_path: Path) -> None:
    """The counter's path with the frozen executable: a copy received, signed with the token,
    and only then uploaded to the bundled dossier server."""
    tok, pki = token
    port = _free_port()
    env = signed_in_env(clean_env(tmp_path / "home", SOFTHSM2_CONF=str(tok.conf), MY_PIN=tok.pin))  # type: ignore[attr-defined]
    # started with SIGINT ignored, as a script's `motcua dossier-server … &` is: it still stops on SIGINT
    server = subprocess.Popen([str(build.exe), "dossier-server", "--port", str(port), "--data", str(tmp_path / "srv")],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert server.stdout is not None
        assert f"127.0.0.1:{port}" in server.stdout.readline()
        # the server's generated secret, as an administrator hands it to a workstation
        ws = {**env, "MOTCUA_DOSSIER_URL": f"http://127.0.0.1:{port}",
              "MOTCUA_DOSSIER_CLIENT_SECRET_FILE": str(tmp_path / "srv" / "client-credentials.json")}
        from reportlab.pdfgen import canvas

        attachment = tmp_path / "ban-sao.pdf"
        c = canvas.Canvas(str(attachment))
        c.drawString(72, 720, "Ban sao can chung thuc")
        c.save()
        r = frozen(build.exe, ws, "dossier", "submit", "--procedure", "2.000815", "--owner", "Nguyễn Văn An",
                   "--id-number", "079123456789", "--file", f"BS={attachment}")
        assert r.returncode == 0, r.stderr
        code = r.stdout.strip().splitlines()[-1]
        r = frozen(build.exe, ws, "dossier", "sign", code, "--pkcs11-module", tok.module,  # type: ignore[attr-defined]
                   "--token-label", tok.label, "--key-id", "01", "--pin-env", "MY_PIN",  # type: ignore[attr-defined]
                   "--trust", str(pki.ca_pem))  # type: ignore[attr-defined]
        assert r.returncode == 0, r.stderr
        r = frozen(build.exe, ws, "outbox", "drain", "--timeout", "60")
        assert r.returncode == 0, r.stderr
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 130  # "Stopped on request"
    r = frozen(build.exe, env, "dossier-server", "--data", str(tmp_path / "srv"), "--dump")
    held = {d["code"]: d for d in json.loads(r.stdout)["dossiers"]}
    assert code in held and len(held[code]["files"]) == 1


def test_gui_opens_the_sign_in_window_and_closes_cleanly(build: Build, tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    start = time.monotonic()
    r = frozen(build.exe, env, "gui", "--check", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "sign-in window shown: True motcua — Đăng nhập" in r.stdout  # Vietnamese .qm loaded from the bundle
    assert "Traceback" not in r.stderr and "Unexpected" not in r.stderr
    assert time.monotonic() - start < 60


def test_nsis_script_compiles_with_the_bundle_as_payload(build: Build, tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    assert makensis, "apt-get install nsis"
    out = tmp_path / "motcua-x64.exe"
    r = subprocess.run([makensis, "-V2", "-WX", "-DCHECK_ONLY", f"-DVERSION={__version__}",
                        f"-DPAYLOAD={build.app}", f"-DICON_DIR={build.build / 'icons'}", f"-DOUTFILE={out}",
                        "motcua.nsi"], cwd=ROOT / "installer" / "windows", capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    payload = sum(f.stat().st_size for f in build.app.rglob("*") if f.is_file() and not f.is_symlink())
    assert out.stat().st_size > payload * 0.9  # the whole bundle is in it (uncompressed)


def _dpkg(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """dpkg working on the temporary root as if it were the system: its files under ``root``, its database in
    ``root/var/lib/dpkg``, its log there too. The root has no shell, so the maintainer scripts run outside it
    with ``DPKG_ROOT`` naming it (``--force-script-chrootless``; the preinst is written for that); the
    root's empty database knows none of the packages the machine has, hence ``--force-depends`` (build.sh
    checks the Depends against what the bundle links)."""
    return subprocess.run(["dpkg", f"--root={root}", f"--log={root / 'var' / 'log' / 'dpkg.log'}",
                           "--force-not-root", "--force-script-chrootless", "--force-depends", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def _status(root: Path) -> str:
    return subprocess.run(["dpkg-query", f"--admindir={root / 'var' / 'lib' / 'dpkg'}", "-W", "-f=${Status}",
                           "motcua"], capture_output=True, text=True).stdout


def test_debian_package_installs_into_a_root_and_runs(deb: tuple[Path, str], tmp_path: Path) -> None:
    path, log = deb
    assert "lintian passed" in log  # lintian ran (errors fail the build: --fail-on error)
    # its warnings that had a cause to fix: the fonts are linked to the system's, the bootloader's no-PIE is
    # overridden with the reason (installer/linux/lintian-overrides)
    assert "duplicate-font-file" not in log and "hardening-no-pie" not in log, log
    fields = subprocess.run(["dpkg-deb", "-f", str(path)], capture_output=True, text=True, check=True).stdout
    depends = next(line for line in fields.splitlines() if line.startswith("Depends:"))
    # cups-client: lpstat, which config check and the Settings screen ask (desktop/printers.py); libcups2: Qt's
    # print plugin; liblapack3/libblas3: OpenCV's LAPACK (installer/motcua.spec)
    for pkg in ("pcscd", "libsane1", "tesseract-ocr-vie", "tesseract-ocr", "cups-client", "libcups2", "liblapack3",
                "libblas3"):
        assert f" {pkg}," in depends + ",", pkg
    root = (tmp_path / "root").resolve()
    for d in ("var/lib/dpkg/updates", "var/lib/dpkg/info", "var/log"):
        (root / d).mkdir(parents=True)
    (root / "var" / "lib" / "dpkg" / "status").touch()
    r = _dpkg(root, "--install", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert _status(root) == "install ok installed"
    assert "status installed motcua:" in (root / "var" / "log" / "dpkg.log").read_text()
    assert os.readlink(root / "usr" / "bin" / "motcua") == "/opt/motcua/motcua"
    for rel in ("usr/share/applications/motcua.desktop", "usr/share/applications/motcua-kiosk.desktop",
                "usr/share/applications/motcua-display-board.desktop",
                "usr/share/icons/hicolor/256x256/apps/motcua.png", "etc/motcua/motcua.toml",
                "usr/share/doc/motcua/copyright"):
        assert (root / rel).is_file(), rel
    # /usr/bin/motcua as installed, its link (absolute, to /opt) followed inside the root
    exe = root / os.readlink(root / "usr" / "bin" / "motcua").lstrip("/")
    home = tmp_path / "home"
    env = clean_env(home, MOTCUA_SYSTEM_CONFIG=str(root / "etc" / "motcua" / "motcua.toml"))
    r = frozen(exe, env, "--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = frozen(exe, env, "config", "check")
    assert r.returncode == 0, r.stdout + r.stderr  # the shipped workstation file is valid
    r = frozen(exe, env, "self-test", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"], r.stdout
    assert (home / ".local" / "share" / "motcua").is_dir()

    # a second installation over the running application is refused by the package's preinst, run by dpkg
    running = subprocess.Popen([str(exe), "dossier-server", "--port", str(_free_port()), "--data",
                                str(tmp_path / "srv")], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert running.stdout is not None and "127.0.0.1" in running.stdout.readline()
        r = _dpkg(root, "--install", str(path))
        assert r.returncode == 1 and "motcua is running" in r.stderr, r.stdout + r.stderr
        assert exe.is_file()
    finally:
        running.send_signal(signal.SIGINT)
        running.wait(timeout=30)
    assert _status(root) == "install ok installed"  # the refused upgrade left the installed one

    # removing the package takes the program away and leaves the data: the centre's workstation file (a
    # conffile, until --purge) and the user's data folder
    (root / "etc" / "motcua" / "motcua.toml").write_text('[workstation]\ncounter = 3\n', encoding="utf-8")
    r = _dpkg(root, "--remove", "motcua")
    assert r.returncode == 0, r.stdout + r.stderr
    assert _status(root) == "deinstall ok config-files"
    assert not (root / "opt" / "motcua").exists() and not (root / "usr" / "bin" / "motcua").is_symlink()
    assert (root / "etc" / "motcua" / "motcua.toml").read_text(encoding="utf-8") == '[workstation]\ncounter = 3\n'
    assert (home / ".local" / "share" / "motcua").is_dir()
