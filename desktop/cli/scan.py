"""``motcua scan``: list scanners, or scan pages into a folder as they arrive.

``motcua scan --list`` shows every source with its capabilities (and the kinds that cannot
work here, with the reason). ``motcua scan --device DEV -o DIR`` writes each page to DIR the
moment the device delivers it (PNG or TIFF, resolution recorded in the file) and prints one
line per page. If the device fails mid-feed the pages already written stay, the message
says what happened, and the exit code is non-zero; numbering continues after the pages
already in DIR, so the officer re-scans only the rest. Ctrl+C stops after the page being
read (exit 130), keeping what was written.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext

FORMATS = {"png": ".png", "tiff": ".tif"}
_PAGE_FILE = re.compile(r"^page-(\d+)\.(png|tif)$")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="list scanners/cameras, or scan pages into a folder as they arrive")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="list sources with their capabilities")
    what.add_argument("--profiles", action="store_true", help="list this workstation's scan profiles")
    what.add_argument("--device", metavar="DEV", help="source id from --list (sane:test:0, test:0, camera:0, files)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="folder for the pages (created if needed)")
    p.add_argument("--pages", type=int, metavar="N", help="stop after N pages (default: until the feeder is empty)")
    p.add_argument("--profile", metavar="P", help="scan profile id or name (see --profiles)")
    p.add_argument("--source", choices=["auto", "flatbed", "adf", "camera", "file"], help="paper source")
    p.add_argument("--mode", choices=["color", "grey", "lineart"], help="colour mode")
    p.add_argument("--resolution", type=int, metavar="DPI", help="resolution in dots per inch")
    p.add_argument("--page-size", metavar="SIZE", help="A4, A5, Letter, Legal or max (whole scan area)")
    p.add_argument("--duplex", action=argparse.BooleanOptionalAction, default=None, help="scan both sides")
    p.add_argument("--format", choices=sorted(FORMATS), default="png", help="page file format (default png)")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="device-specific option, repeatable (as scanimage shows them)")
    p.add_argument("--input", nargs="+", type=Path, default=[], metavar="FILE", help="files to import with --device files")
    p.add_argument("--json", action="store_true", help="JSON output (one JSON object per line while scanning)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.list:
        return _list(args)
    if args.profiles:
        return _profiles(args, ctx.settings.data_dir)
    return _scan(args, ctx.settings.data_dir)


def _list(args: argparse.Namespace) -> int:
    from scanning.sources import list_sources, unavailable

    rows = []
    for src in list_sources():
        rows.append({**src.describe(), "capabilities": src.capabilities.to_dict()})
    missing = unavailable()
    if args.json:
        print(json.dumps({"sources": rows, "unavailable": missing}, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        caps = row["capabilities"]
        assert isinstance(caps, dict)
        area = caps["max_area_mm"]
        print(f"{row['id']}\t{row['name']}")
        print(msg("    nguồn giấy: {s}{d}; chế độ: {m}", "    feeds: {s}{d}; modes: {m}", s=", ".join(caps["sources"]),
                  d=msg(", hai mặt", ", duplex") if caps["duplex"] else "", m=", ".join(caps["modes"])))
        if caps["resolutions"]:
            print(msg("    độ phân giải: {r} dpi", "    resolutions: {r} dpi", r=", ".join(map(str, caps["resolutions"]))))
        if area:
            print(msg("    vùng quét tối đa: {w:g} × {h:g} mm; khổ giấy vừa: {p}", "    largest area: {w:g} × {h:g} mm; paper sizes that fit: {p}",
                      w=area[0], h=area[1], p=", ".join(caps["page_sizes"]) or "-"))
    for kind, reason in missing.items():
        print(msg("({k} không dùng được: {r})", "({k} unavailable: {r})", k=kind, r=reason))
    return 0


def _profiles(args: argparse.Namespace, data_dir: Path) -> int:
    from scanning.profiles import ProfileStore

    profiles = ProfileStore(data_dir).load()
    if args.json:
        print(json.dumps([p.to_dict() for p in profiles], ensure_ascii=False, indent=1))
        return 0
    for p in profiles:
        extras = [k for k, on in p.cleanup().items() if on]
        print(f"{p.id}\t{p.label}\t{p.source} {p.mode} {p.resolution} dpi {p.page_size or 'max'}"
              f"{' duplex' if p.duplex else ''}\t{','.join(extras)}")
    return 0


def _parse_options(raw: list[str]) -> dict[str, str]:
    options = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(msg("Tùy chọn phải có dạng TÊN=GIÁ_TRỊ: {o}", "An option must look like NAME=VALUE: {o}", o=item))
        options[name.strip()] = value.strip()
    return options


def _settings(args: argparse.Namespace, data_dir: Path) -> Any:
    from dataclasses import replace

    from scanning.profiles import ProfileStore
    from scanning.sources import ScanSettings

    base = ProfileStore(data_dir).get(args.profile).scan_settings() if args.profile else ScanSettings()
    if args.device and args.device.startswith("camera") and not args.profile and args.source is None:
        base = replace(base, source="camera")
    if args.device == "files" and not args.profile and args.source is None:
        base = replace(base, source="file")
    overrides: dict[str, Any] = {k: v for k, v in (("source", args.source), ("mode", args.mode),
                                                   ("resolution", args.resolution), ("duplex", args.duplex))
                                 if v is not None}
    if args.page_size is not None:
        overrides["page_size"] = args.page_size
    return replace(base, max_pages=args.pages, options=_parse_options(args.option), **overrides).validated()


def _next_number(out: Path) -> int:
    numbers = [int(m.group(1)) for f in out.iterdir() if (m := _PAGE_FILE.match(f.name))]
    return max(numbers, default=0) + 1


def _write(page: Any, path: Path) -> None:
    from PIL import Image

    image = page.image if page.image.ndim == 2 else page.image[..., ::-1]  # BGR → RGB
    img = Image.fromarray(image)
    dpi = (page.dpi, page.dpi) if page.dpi else None
    kwargs: dict[str, Any] = {"dpi": dpi} if dpi else {}
    if path.suffix == ".tif":
        kwargs["compression"] = "tiff_lzw"
    tmp = path.with_name(path.name + ".part")
    img.save(tmp, format="PNG" if path.suffix == ".png" else "TIFF", **kwargs)
    replace_durably(tmp, path, private=True)  # a page file is either whole or absent


def _scan(args: argparse.Namespace, data_dir: Path) -> int:
    from desktop.kernel.tasks import Cancelled, CancelToken
    from scanning.sources import ScanError, open_source

    if args.output is None:
        raise InvalidInput(msg("Cần -o THƯ_MỤC để lưu các trang quét.", "-o DIR is needed to store the scanned pages."))
    if args.pages is not None and args.pages < 1:
        raise InvalidInput(msg("--pages phải từ 1 trở lên.", "--pages must be 1 or more."))
    settings = _settings(args, data_dir)
    source = open_source(args.device, paths=args.input) if args.device == "files" else open_source(args.device)
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    first = _next_number(out)
    suffix = FORMATS[args.format]
    written: list[Path] = []
    token = CancelToken()

    def on_page(page: Any) -> None:
        path = out / f"page-{first + len(written):04d}{suffix}"
        _write(page, path)
        written.append(path)
        h, w = page.image.shape[:2]
        mode = "color" if page.image.ndim == 3 else "grey"
        if args.json:
            print(json.dumps({"page": len(written), "path": str(path), "width": w, "height": h, "dpi": page.dpi,
                              "mode": mode, "source": page.source}, ensure_ascii=False), flush=True)
        else:
            print(msg("trang {n}: {p} ({w}×{h}, {d:g} dpi)", "page {n}: {p} ({w}×{h}, {d:g} dpi)", n=len(written), p=path,
                      w=w, h=h, d=page.dpi), flush=True)

    def stop(signum: int, frame: Any) -> None:
        token.cancel()  # never raise here: the scan may be inside the driver (see sane_source)
        signal.signal(signal.SIGINT, previous)  # a second Ctrl+C interrupts at once

    previous = signal.signal(signal.SIGINT, stop)
    try:
        source.scan(settings, token, on_page)
    except ScanError as exc:
        if args.json:
            print(json.dumps({"error": exc.message, "code": exc.code, "pages": len(written)}, ensure_ascii=False), flush=True)
        raise
    except Cancelled:
        if args.json:
            print(json.dumps({"cancelled": True, "pages": len(written)}), flush=True)
        print(msg("Đã dừng theo yêu cầu; {n} trang đã lưu trong {o}.", "Stopped on request; {n} page(s) saved in {o}.",
                  n=len(written), o=out), file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        print(json.dumps({"done": True, "pages": len(written), "dir": str(out)}, ensure_ascii=False))
    else:
        print(msg("Xong: {n} trang trong {o}.", "Done: {n} page(s) in {o}.", n=len(written), o=out))
    return 0
