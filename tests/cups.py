"""A throw-away CUPS scheduler with file-backed queues, for the tests that print.

Debian's real ``cupsd`` (package ``cups``), run in a temporary folder with its own
configuration and a Unix socket there; the test session points the CUPS library at that
socket (``CUPS_SERVER``, set in tests/conftest.py before anything asks for printers), so Qt's
print support, ``lpstat`` and the application see exactly the queues a test adds, and never
the machine's own printers. A queue prints into a file (``FileDevice Yes``) through a small
PPD whose only filter is cups-filters' ``pdftopdf``: what arrives is the PDF Qt sent, with
the job's page size and title. Started in well under a second (60 ms measured here).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
#: page sizes the test printers offer: a receipt's A5, a register's A4, the kiosk's 80 mm roll
_SIZES = (("A4", "A4", 595, 842), ("A5", "A5", 420, 595), ("X80MMY100MM", "80 x 100 mm", 227, 283))


def _ppd() -> str:
    sizes = "\n".join(f'*PageSize {n}/{t}: "<</PageSize[{w} {h}]>>setpagedevice"' for n, t, w, h in _SIZES)
    regions = "\n".join(f'*PageRegion {n}/{t}: "<</PageSize[{w} {h}]>>setpagedevice"' for n, t, w, h in _SIZES)
    areas = "\n".join(f'*ImageableArea {n}/{t}: "0 0 {w} {h}"' for n, t, w, h in _SIZES)
    dims = "\n".join(f'*PaperDimension {n}/{t}: "{w} {h}"' for n, t, w, h in _SIZES)
    return f"""*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "MOTCUA.PPD"
*Manufacturer: "motcua"
*Product: "(motcua test printer)"
*ModelName: "motcua test printer"
*ShortNickName: "motcua test printer"
*NickName: "motcua test printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
{sizes}
*CloseUI: *PageSize
*OpenUI *PageRegion: PickOne
*OrderDependency: 10 AnySetup *PageRegion
*DefaultPageRegion: A4
{regions}
*CloseUI: *PageRegion
*DefaultImageableArea: A4
{areas}
*DefaultPaperDimension: A4
{dims}
"""


def _die_with_parent() -> None:
    """In the child before cupsd starts: the kernel ends it when the test process dies, even
    without teardown (a session that crashed at exit left a cupsd running, seen)."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class CupsServer:
    """``cupsd`` listening on ``socket`` (the path the session's ``CUPS_SERVER`` names)."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.base = Path(tempfile.mkdtemp(prefix="motcua-cups-"))
        self.out = self.base / "out"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> CupsServer:
        if not Path(CUPSD).is_file() or shutil.which("lpadmin") is None:
            raise RuntimeError("CUPS not found: install the 'cups' package (scripts/apt-packages.txt)")
        conf = self.base / "conf"
        for d in ("conf", "spool", "cache", "state", "tmp", "log", "out"):
            (self.base / d).mkdir(parents=True, exist_ok=True)
            # the filters run as the lp user: they read the spool and write the queues' files
            os.chmod(self.base / d, 0o755 if d == "conf" else 0o777)
        os.chmod(self.base, 0o755)
        (conf / "cupsd.conf").write_text(
            # PreserveJobFiles: a completed job keeps the document the application sent (spool/d<job>-001),
            # which job_documents() hands to a test; a queue's output file holds only its last job, after
            # the filter. (A workstation's CUPS should not keep them: docs/PRIVACY.md.)
            f"Listen {self.socket}\nLogLevel info\nWebInterface No\nBrowsing Off\nDefaultAuthType None\n"
            "PreserveJobHistory Yes\nPreserveJobFiles Yes\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n", encoding="ascii")
        (conf / "cups-files.conf").write_text(
            f"FileDevice Yes\nServerRoot {conf}\nRequestRoot {self.base / 'spool'}\nCacheDir {self.base / 'cache'}\n"
            f"StateDir {self.base / 'state'}\nTempDir {self.base / 'tmp'}\nErrorLog {self.base / 'log/error_log'}\n"
            f"AccessLog {self.base / 'log/access_log'}\nPageLog {self.base / 'log/page_log'}\n", encoding="ascii")
        (self.base / "test.ppd").write_text(_ppd(), encoding="ascii")
        self.socket.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        self.proc = subprocess.Popen([CUPSD, "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"cupsd exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
                                   f" {self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"cupsd did not answer within {timeout} s: {self.log()}")
            time.sleep(0.02)
        return self

    def _env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}

    def _answers(self) -> bool:
        r = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, env=self._env(), check=False)
        return "scheduler is running" in r.stdout

    def add_queue(self, name: str, *, default: bool = False) -> Path:
        """A queue printing into ``out/<name>.pdf`` (each job replaces the file); returns that path.
        ``default``: it becomes the system's default printer."""
        target = self.out / f"{name}.pdf"
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        subprocess.run(["lpadmin", "-p", name, "-E", "-v", f"file://{target}", "-P", str(self.base / "test.ppd")],
                       capture_output=True, env=self._env(), check=True)
        if default:
            subprocess.run(["lpadmin", "-d", name], capture_output=True, env=self._env(), check=True)
        return target

    def remove_queue(self, name: str) -> None:
        subprocess.run(["lpadmin", "-x", name], capture_output=True, env=self._env(), check=False)

    def completed_jobs(self, queue: str) -> list[str]:
        """Ids of the queue's completed jobs (``lpstat -W completed``)."""
        r = subprocess.run(["lpstat", "-W", "completed", "-o", queue], capture_output=True, text=True,
                           env=self._env(), check=False)
        return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]

    def job_documents(self, job: str) -> list[Path]:
        """The documents of a job (an id as :meth:`completed_jobs` gives it, ``queue-7``) as the
        scheduler received them, before any filter: kept after the job completed (PreserveJobFiles)."""
        number = int(job.rsplit("-", 1)[1])
        return sorted((self.base / "spool").glob(f"d{number:05d}-*"))

    def log(self) -> str:
        path = self.base / "log" / "error_log"
        return path.read_text(errors="replace")[-4000:] if path.is_file() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
        self.proc = None
        shutil.rmtree(self.base, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()


def printed_text(pdf: Path, dpi: int = 200) -> str:
    """What a printed job reads as: its pages rasterised (poppler) and read by Tesseract. The
    application prints its pages as images, so the text comes back only by OCR."""
    with tempfile.TemporaryDirectory(prefix="motcua-printed-") as d:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{d}/page"], check=True)
        texts = []
        for page in sorted(Path(d).glob("page*.png")):
            r = subprocess.run(["tesseract", str(page), "-", "-l", "vie+eng"], capture_output=True, text=True,
                               env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
            texts.append(r.stdout)
        return "\n".join(texts)
