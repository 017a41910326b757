"""What is present and working on this workstation, component by component.

Each check returns a :class:`Check`; ``required`` ones make ``motcua self-test`` fail.
Every failure carries the fix in the user's language.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.config import Settings
from desktop.kernel.errors import MotcuaError, explain_os_error
from desktop.kernel.fonts import BUNDLED
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn

SOFTHSM_PATHS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                 "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")
FONT_CANDIDATES = ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                   "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
                   str(BUNDLED / "LiberationSerif-Regular.ttf"),
                   "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                   "C:/Windows/Fonts/times.ttf")


def build_info() -> dict[str, str]:
    """Version of the application and how it runs (frozen bundle or a Python environment)."""
    import platform
    import sys

    from desktop import __version__

    frozen = bool(getattr(sys, "frozen", False))
    return {"version": __version__, "kind": "bundle" if frozen else "python",
            "executable": sys.executable, "python": platform.python_version(), "platform": sys.platform}


@dataclass
class Check:
    name: str
    ok: bool
    required: bool
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_database(settings: Settings) -> Check:
    from desktop.db.cipher import workstation_database

    name = msg("Cơ sở dữ liệu", "Database")
    try:
        db = workstation_database(settings)
    except MotcuaError as exc:  # an encrypted file whose key is missing
        return Check(name, False, True, exc.message, exc.hint or "")
    try:
        st = db.status()
        if st.up_to_date:
            db.check_writable()  # a read-only file opens and reads fine: it passed before
    except MotcuaError as exc:
        return Check(name, False, True, exc.message, exc.hint or "")
    finally:
        db.dispose()
    kind = "PostgreSQL" if db.is_postgres else "SQLite"
    if st.newer:
        err = db.newer_error(st)
        return Check(name, False, True, err.message, err.hint or "")
    if st.up_to_date:
        return Check(name, True, True, msg("{k} {u}, lược đồ mới nhất ({r})", "{k} {u}, schema up to date ({r})",
                                           k=kind, u=db.display_url(), r=", ".join(sorted(st.current))))
    if st.empty:
        return Check(name, True, True, msg("{k} {u}: chưa tạo; sẽ được tạo khi mở ứng dụng lần đầu",
                                           "{k} {u}: not created yet; created at first start", k=kind,
                                           u=db.display_url()))
    return Check(name, False, True, msg("Lược đồ cũ: {c} (cần {h})", "Old schema: {c} (needs {h})",
                                        c=", ".join(sorted(st.current)), h=", ".join(sorted(st.heads))),
                 msg("Chạy “motcua db migrate” (tệp SQLite được sao lưu trước).",
                     "Run “motcua db migrate” (an SQLite file is backed up first)."))


def check_encryption(settings: Settings) -> Check | None:
    """Whether the embedded database is encrypted at rest, and where its key is."""
    from sqlalchemy.engine import make_url

    from desktop.db import conversion
    from desktop.db.cipher import file_encrypted, load_key

    url = make_url(settings.resolved_db_url())
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    path = Path(url.database)
    name = msg("Mã hóa cơ sở dữ liệu", "Database encryption")
    state = file_encrypted(path)
    request = conversion.pending(settings)
    if request is not None and state is not None and state != request.encrypt and request.last_error:
        return Check(name, False, False, msg("Yêu cầu {w} cơ sở dữ liệu chưa thực hiện được: {e}",
                                             "The {w} asked for is not done yet: {e}", e=request.last_error,
                                             w=msg("mã hóa", "encryption") if request.encrypt else
                                             msg("giải mã", "decryption")),
                     msg("Đóng mọi chương trình motcua trên máy này rồi mở lại ứng dụng.",
                         "Close every motcua program on this machine, then start the application again."))
    if not state:
        if settings.encrypt_db and state is False:
            return Check(name, False, False, msg("storage.encrypt_db bật nhưng {p} chưa được mã hóa",
                                                 "storage.encrypt_db is on but {p} is not encrypted yet", p=path),
                         msg("Đóng các chương trình motcua rồi chạy “motcua db encrypt”.",
                             "Close the motcua programs and run “motcua db encrypt”."))
        return Check(name, True, False, msg("Không mã hóa (tệp 0600 trong thư mục 0700)",
                                            "Not encrypted (a 0600 file in a 0700 folder)"))
    key = load_key(settings, path, create=False)
    if key is None:
        return Check(name, False, True, msg("Đã mã hóa, nhưng không có khóa trên máy này", "Encrypted, but the key "
                                            "is not on this machine"),
                     msg("Khôi phục khóa từ bản lưu của quản trị viên (docs/PRIVACY.md).",
                         "Restore the key from the administrator's copy (docs/PRIVACY.md)."))
    if key.store == "keyring":
        return Check(name, True, False, msg("SQLCipher; khóa trong kho khóa của hệ điều hành",
                                            "SQLCipher; the key is in the OS keyring"))
    return Check(name, True, False, msg("SQLCipher; khóa trong {f}", "SQLCipher; the key is in {f}", f=key.store))


def check_backup(settings: Settings) -> Check | None:
    """The age of the newest online backup of the embedded database."""
    from desktop.db.storage import backup_age, latest_backup

    if not settings.resolved_db_url().startswith("sqlite"):
        return None
    name = msg("Sao lưu cơ sở dữ liệu", "Database backup")
    age = backup_age(settings)
    fix = msg("Chạy “motcua db backup”; ứng dụng sao lưu mỗi ngày.", "Run “motcua db backup”; the application backs up daily.")
    if age is None:
        return Check(name, False, False, msg("Chưa có bản sao lưu nào trong {d}", "No backup yet in {d}",
                                             d=settings.backup_dir), fix)
    hours = round(age.total_seconds() / 3600, 1)
    return Check(name, hours < 48, False, msg("Bản mới nhất {b}: {h} giờ trước", "Newest {b}: {h} h ago",
                                              b=latest_backup(settings), h=hours), fix)


def check_retention(settings: Settings) -> Check | None:
    """When the application last purged expired personal data by itself (storage.retention_days)."""
    from desktop.kernel.timeutil import now_vn
    from desktop.privacy.schedule import last_purge

    if settings.retention_days <= 0:
        return None
    name = msg("Xóa dữ liệu cá nhân hết thời hạn lưu", "Purge of expired personal data")
    fix = msg("Mở ứng dụng (nó tự xóa mỗi ngày) hoặc chạy “motcua privacy purge”.",
              "Open the application (it purges daily) or run “motcua privacy purge”.")
    last = last_purge(settings)
    if last is None:
        return Check(name, False, False, msg("Chưa chạy lần nào; thời hạn lưu {n} ngày",
                                             "Never run yet; retention {n} days", n=settings.retention_days), fix)
    days = (now_vn().date() - last).days
    return Check(name, days <= 2, False, msg("Lần gần nhất {d} ({k} ngày trước); thời hạn lưu {n} ngày",
                                             "Last run {d} ({k} days ago); retention {n} days",
                                             d=last.isoformat(), k=days, n=settings.retention_days), fix)


def check_audit_key(settings: Settings) -> Check:
    """Where the audit key is kept: the OS keyring, or the fallback file (said plainly)."""
    from desktop.audit_key import load_key
    from desktop.db import Database
    from desktop.db.storage import read_marker

    name = msg("Khóa nhật ký kiểm toán", "Audit log key")
    db = Database(settings.resolved_db_url())  # not connected: only names the database
    marker = read_marker(settings, db)
    if marker is None:
        return Check(name, True, False, msg("Sẽ được tạo cùng cơ sở dữ liệu", "Created with the database"))
    key = load_key(settings, marker.instance, create=False)
    if key is None:
        return Check(name, False, True, msg("Không tìm thấy khóa của cơ sở dữ liệu này", "This database's key is missing"),
                     msg("Khôi phục khóa (kho khóa của hệ điều hành hoặc {d}); không có khóa thì không kiểm chứng được nhật ký.",
                         "Restore the key (OS keyring or {d}); without it the log cannot be verified.", d=settings.key_dir))
    if key.in_keyring:
        return Check(name, True, False, msg("Trong kho khóa của hệ điều hành", "In the OS keyring"))
    return Check(name, False, False, msg("Không có kho khóa của hệ điều hành: khóa nằm trong tệp {f} (0600)",
                                         "No OS keyring backend: the key is in the file {f} (0600)", f=key.store),
                 msg("Cài một kho khóa (Secret Service / Credential Manager) để khóa không nằm trên đĩa.",
                     "Install a keyring backend (Secret Service / Credential Manager) to keep the key off the disk."))


def check_audit_head(settings: Settings) -> Check | None:
    """The audit chain head now, printed so a kept self-test can later be checked against the chain
    (``motcua audit verify --head``); nothing to say before the database exists."""
    from desktop.audit import read_stamp
    from desktop.db.cipher import workstation_database

    try:
        db = workstation_database(settings)
    except MotcuaError:
        return None  # said by the database check
    try:
        if not db.status().up_to_date:
            return None  # not created yet, or older: the database check says so
        stamp = read_stamp(db)
    finally:
        db.dispose()
    return Check(msg("Đầu chuỗi nhật ký kiểm toán", "Audit chain head"), True, False,
                 msg("#{r} lúc {t} (đối chiếu sau bằng “motcua audit verify --head {r}”)",
                     "#{r} at {t} (check it later with “motcua audit verify --head {r}”)",
                     r=stamp.ref, t=f"{to_vn(stamp.at):%H:%M %d/%m/%Y}"))


def check_postgres(settings: Settings) -> Check | None:
    url = settings.resolved_db_url()
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    name = "PostgreSQL"
    try:
        eng = create_engine(url)
        with eng.connect() as c:
            version = c.execute(text("SHOW server_version")).scalar()
        eng.dispose()
        return Check(name, True, True, msg("Máy chủ phiên bản {v}", "Server version {v}", v=version))
    except Exception as exc:
        return Check(name, False, True, str(exc).splitlines()[0][:200],
                     msg("Kiểm tra máy chủ PostgreSQL và MOTCUA_DB_URL.", "Check the PostgreSQL server and MOTCUA_DB_URL."))


def check_tesseract(settings: Settings) -> Check:
    name = "Tesseract OCR (vie)"
    exe = shutil.which("tesseract")
    fix = msg("Cài gói: apt-get install tesseract-ocr tesseract-ocr-vie (Windows: bộ cài UB-Mannheim, chọn Vietnamese).",
              "Install: apt-get install tesseract-ocr tesseract-ocr-vie (Windows: the UB-Mannheim installer with Vietnamese).")
    if exe is None:
        return Check(name, False, True, msg("Không tìm thấy lệnh tesseract", "tesseract not found"), fix)
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.split("\n")[0]
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(name, False, True, str(exc), fix)
    langs = {line.strip() for line in out.stdout.splitlines()[1:]}
    if "vie" not in langs:
        return Check(name, False, True, msg("Thiếu dữ liệu tiếng Việt (vie); có: {l}", "Vietnamese data (vie) missing; have: {l}",
                                            l=", ".join(sorted(langs))), fix)
    try:  # which engine the page workers will use: loaded once per worker, or a command per page
        import tesserocr

        engine = msg("bộ máy tesserocr {v}", "tesserocr engine {v}", v=tesserocr.tesseract_version().split()[1])
    except (ImportError, IndexError):
        engine = msg("gọi lệnh tesseract cho từng trang", "the tesseract command per page")
    return Check(name, True, True, f"{version}; {', '.join(sorted(langs))}; {engine}")


def _reinstall(package: str) -> str:
    """How to repair a library the OCR needs: in the bundle it is the installation's, in a
    Python environment the package's."""
    import sys

    if getattr(sys, "frozen", False):
        return msg("Cài lại ứng dụng motcua (gói .deb hoặc bộ cài); thư viện {p} trong bộ cài bị hỏng.",
                   "Reinstall motcua (the .deb or the installer); its {p} library is damaged.", p=package)
    return msg("Cài lại gói trong môi trường Python: pip install --force-reinstall {p}",
               "Reinstall the package in the Python environment: pip install --force-reinstall {p}", p=package)


def _failure(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:200]


#: what the OCR check draws and reads back
OCR_PROBE_TEXT = "MOTCUA OCR"


def check_numpy(settings: Settings) -> Check:
    """numpy, which OpenCV and every page image need: imported and asked for a product (its BLAS)."""
    name = msg("numpy (ảnh trang)", "numpy (page images)")
    try:
        import numpy as np

        a = np.arange(16, dtype=np.float64).reshape(4, 4)
        product = float((a @ a.T).trace())  # the sum of the squares 0..15
    except Exception as exc:  # a damaged install raises anything from ImportError to OSError
        return Check(name, False, True, msg("Không nạp được numpy: {e}", "numpy does not load: {e}", e=_failure(exc)),
                     _reinstall("numpy"))
    if product != 1240.0:
        return Check(name, False, True, msg("numpy tính sai ({v} thay vì 1240)", "numpy computes wrongly ({v}, not 1240)",
                                            v=product), _reinstall("numpy"))
    return Check(name, True, True, f"numpy {np.__version__}")


def check_opencv(settings: Settings) -> Check:
    """OpenCV, which cleans every page: imported, a line of text drawn and PNG-encoded and decoded."""
    name = msg("OpenCV (xử lý ảnh trang)", "OpenCV (page clean-up)")
    try:
        import cv2
        import numpy as np

        img = np.full((48, 220), 255, np.uint8)
        cv2.putText(img, OCR_PROBE_TEXT, (6, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2, cv2.LINE_AA)
        ok, png = cv2.imencode(".png", img)
        back = cv2.imdecode(png, cv2.IMREAD_GRAYSCALE) if ok else None
        same = back is not None and np.array_equal(back, img)
    except Exception as exc:
        return Check(name, False, True, msg("Không nạp được OpenCV (cv2): {e}", "OpenCV (cv2) does not load: {e}",
                                            e=_failure(exc)), _reinstall("opencv-python-headless"))
    if not same:
        return Check(name, False, True, msg("OpenCV không mã hóa/giải mã được ảnh PNG", "OpenCV cannot encode and "
                                            "decode a PNG image"), _reinstall("opencv-python-headless"))
    return Check(name, True, True, f"OpenCV {cv2.__version__}")


def check_ocr(settings: Settings) -> Check:
    """The page workers' OCR path itself (scanning.ocr, the tesserocr engine or the tesseract
    command), reading a line it drew in Vietnamese mode: the command being installed is not enough."""
    name = msg("Nhận dạng chữ (OCR vie) trên ảnh thử", "Text recognition (OCR vie) on a test image")
    fix = msg("Cài lại ứng dụng; trên Linux: apt-get install tesseract-ocr tesseract-ocr-vie.",
              "Reinstall the application; on Linux: apt-get install tesseract-ocr tesseract-ocr-vie.")
    try:
        import cv2
        import numpy as np

        from scanning.ocr import DEFAULT_LANG, Recognizer, ocr_image, tessdata_dir

        img = np.full((48, 220), 255, np.uint8)
        cv2.putText(img, OCR_PROBE_TEXT, (6, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2, cv2.LINE_AA)
        if Recognizer().embedded:  # the engine a page worker loads
            import tesserocr
            from PIL import Image

            with tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=DEFAULT_LANG, psm=tesserocr.PSM.SINGLE_LINE) as api:
                api.SetImage(Image.fromarray(img))
                text, engine = api.GetUTF8Text(), "tesserocr"
        else:
            text, engine = ocr_image(img, lang=DEFAULT_LANG), "tesseract"
    except Exception as exc:
        return Check(name, False, True, msg("OCR không chạy được: {e}", "OCR does not run: {e}", e=_failure(exc)), fix)
    read = " ".join(text.split())
    if OCR_PROBE_TEXT not in read:
        return Check(name, False, True, msg("Đọc “{r}” thay vì “{t}” ({g})", "Read “{r}” instead of “{t}” ({g})",
                                            r=read, t=OCR_PROBE_TEXT, g=engine), fix)
    return Check(name, True, True, msg("Đọc đúng “{t}” ({g}, {l})", "Read “{t}” correctly ({g}, {l})",
                                       t=OCR_PROBE_TEXT, g=engine, l=DEFAULT_LANG))


def check_syllables(settings: Settings) -> Check:
    """The Vietnamese word list of the OCR post-correction: without it the OCR still works,
    but the rules that keep only well-formed syllables change nothing."""
    from scanning.postcorrect import syllable_list, syllables

    name = msg("Danh sách âm tiết tiếng Việt (hiệu chỉnh OCR)", "Vietnamese syllable list (OCR post-correction)")
    path = syllable_list()
    if path is None:
        return Check(name, False, False, msg("Không có vi_VN.dic: hiệu chỉnh chữ sau OCR bị bỏ qua một phần",
                                             "No vi_VN.dic: part of the OCR post-correction is skipped"),
                     msg("Cài gói: apt-get install hunspell-vi (Windows: có sẵn trong bộ cài).",
                         "Install: apt-get install hunspell-vi (Windows: shipped with the installer)."))
    return Check(name, True, False, msg("{p}: {n} âm tiết", "{p}: {n} syllables", p=path, n=len(syllables())))


def check_pkcs11(settings: Settings) -> Check:
    name = msg("Mô-đun PKCS#11 (token)", "PKCS#11 module (token)")
    configured = settings.pkcs11_module
    path = configured or next((p for p in SOFTHSM_PATHS if Path(p).exists()), "")
    if not path:
        return Check(name, False, False, msg("Chưa cấu hình mô-đun của token", "No token module configured"),
                     msg("Cài trình điều khiển token của nhà cung cấp và đặt đường dẫn trong Cài đặt hoặc MOTCUA_PKCS11_MODULE.",
                         "Install the token vendor's driver and set its path in Settings or MOTCUA_PKCS11_MODULE."))
    try:
        import pkcs11

        lib = pkcs11.lib(path)
        slots = lib.get_slots(token_present=True)
        info = f"{lib.manufacturer_id.strip()} {lib.library_description.strip()}".strip()
        label = msg("{p}: {i}; {n} token", "{p}: {i}; {n} token(s)", p=path, i=info, n=len(slots))
        if not configured:
            label += msg(" (token thử nghiệm SoftHSM2)", " (SoftHSM2 demo token)")
        return Check(name, True, bool(configured), label)
    except Exception as exc:
        return Check(name, False, bool(configured), f"{path}: {exc}",
                     msg("Kiểm tra đường dẫn mô-đun và kiến trúc (64-bit).", "Check the module path and architecture (64-bit)."))


def check_pcscd(settings: Settings) -> Check:
    name = msg("Dịch vụ thẻ thông minh (PC/SC)", "Smart-card service (PC/SC)")
    fix = msg("Cài và chạy pcscd (apt-get install pcscd; systemctl start pcscd).",
              "Install and start pcscd (apt-get install pcscd; systemctl start pcscd).")
    try:
        from smartcard.System import readers

        names = [str(r) for r in readers()]
    except Exception as exc:
        return Check(name, False, False, f"{type(exc).__name__}: {exc}"[:200], fix)
    return Check(name, True, False, msg("Đầu đọc: {r}", "Readers: {r}", r=", ".join(names) or "-"))


def check_sane(settings: Settings) -> Check:
    name = msg("Máy quét (SANE)", "Scanners (SANE)")
    try:
        # in a child process (a backend that aborts takes only the probe), through the scanner's
        # session lock: the status bar's probe runs on a worker beside the scan screen's scans.
        # With the devices' options, as the scan screen wants them: its list then comes from
        # this probe's cached answer instead of a second listing (≈3.4 s with Debian's dll.conf)
        from scanning.sources.sane_source import probe_devices

        devices = [d.name for d in probe_devices().devices]
    except MotcuaError as exc:  # the probe crashed or hung, SANE missing: its own words
        return Check(name, False, False, exc.message,
                     exc.hint or msg("Cài sane-utils và trình điều khiển máy quét.", "Install sane-utils and the scanner's driver."))
    except Exception as exc:
        return Check(name, False, False, f"{type(exc).__name__}: {exc}"[:200],
                     msg("Cài sane-utils và trình điều khiển máy quét.", "Install sane-utils and the scanner's driver."))
    if not devices:
        return Check(name, False, False, msg("SANE chạy nhưng không thấy máy quét nào", "SANE works but sees no scanner"),
                     msg("Cắm máy quét và cài trình điều khiển SANE của hãng.",
                         "Plug in the scanner and install its SANE driver."))
    return Check(name, True, False, msg("Thiết bị: {d}", "Devices: {d}", d=", ".join(devices)))


def check_fonts(settings: Settings) -> Check:
    name = msg("Phông chữ tiếng Việt cho PDF", "Vietnamese font for PDFs")
    found = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
    if found is None:
        return Check(name, False, True, msg("Không có phông Times tương thích", "No Times-compatible font"),
                     msg("Cài fonts-liberation2.", "Install fonts-liberation2."))
    return Check(name, True, True, found)


def check_dossier_system(settings: Settings) -> Check:
    name = msg("Hệ thống hồ sơ", "Dossier system")
    url = settings.resolved_dossier_url()
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        folder = Path(unquote(urlparse(url).path))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".motcua-probe"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            err = explain_os_error(exc)
            return Check(name, False, True, err.message, err.hint or "")
        return Check(name, True, True, msg("Thư mục {f}", "Folder {f}", f=folder))
    try:
        import httpx

        r = httpx.get(url.rstrip("/") + "/health", timeout=5)
        return Check(name, r.status_code < 500, False, f"{url}: HTTP {r.status_code}")
    except Exception as exc:
        return Check(name, False, False, f"{url}: {type(exc).__name__}",
                     msg("Mạng hoặc máy chủ không sẵn sàng; hồ sơ được giữ trong hàng đợi gửi.",
                         "Network or server unavailable; uploads wait in the outbox."))


def check_data_folder(settings: Settings) -> Check:
    """The data folder takes new files (scans, receipts, logs): a read-only one fails here, not mid-dossier."""
    import os
    import tempfile

    name = msg("Thư mục dữ liệu", "Data folder")
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".motcua-probe-", dir=settings.data_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        err = explain_os_error(exc)
        return Check(name, False, True, err.message, err.hint or "")
    return Check(name, True, True, msg("{d}: ghi được", "{d}: writable", d=settings.data_dir))


CHECKS: tuple[Callable[[Settings], Check | None], ...] = (
    check_data_folder, check_database, check_encryption, check_backup, check_retention, check_audit_key,
    check_audit_head,
    check_postgres, check_tesseract, check_numpy, check_opencv, check_ocr, check_syllables, check_fonts,
    check_pkcs11, check_pcscd, check_sane,
    check_dossier_system,
)


def run_checks(settings: Settings) -> list[Check]:
    import contextlib
    import sys

    results = []
    for fn in CHECKS:
        try:
            # a library that fails to import may print (cv2 without numpy does, on stdout): keep
            # it out of the report, which is JSON with --json
            with contextlib.redirect_stdout(sys.stderr):
                c = fn(settings)
        except OSError as exc:
            err = explain_os_error(exc)
            c = Check(fn.__name__, False, True, err.message, err.hint or "")
        except Exception as exc:  # a check must report, never crash the self-test
            c = Check(fn.__name__, False, True, f"{type(exc).__name__}: {exc}")
        if c is not None:
            results.append(c)
    return results
