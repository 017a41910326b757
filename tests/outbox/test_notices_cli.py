"""``motcua dossier extend`` and ``motcua dossier notify`` in real processes, with a real SMTP
server on loopback (tests/outbox/test_notices.py has the rest, in process)."""

from __future__ import annotations

from pathlib import Path

from tests.outbox.notice_servers import SmtpServer
from tests.outbox.test_notices import EMAIL, SENDER


def test_the_cli_extends_notifies_and_drains(tmp_path: Path) -> None:
    """``motcua dossier extend`` queues the e-mail with form 04 (the path still the last line),
    ``motcua dossier notify`` queues it again, ``motcua outbox drain`` delivers it once."""
    import datetime as dt

    from tests.lifecycle.test_cli import Cli

    server = SmtpServer().start()
    try:
        cli = Cli(tmp_path / "data", (tmp_path / "dossier-system").as_uri())
        cli.env.update({"MOTCUA_SMTP_HOST": "127.0.0.1", "MOTCUA_SMTP_PORT": str(server.port),
                        "MOTCUA_SMTP_SENDER": SENDER, "MOTCUA_LANG": "en"})
        (tmp_path / "data").mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / "motcua.toml").write_text('schema = 2\n[smtp]\nsecurity = "none"\n', encoding="utf-8")
        code = cli.last("dossier", "submit", "--procedure", "1.004884", "--owner", "Trần Văn Cường",
                        "--email", EMAIL)
        cli("dossier", "process", code)
        new_due = (dt.datetime.now() + dt.timedelta(days=20)).strftime("%Y-%m-%d 08:00")
        out = cli("dossier", "extend", code, "--reason", "Cần xác minh", "--new-due", new_due).stdout.splitlines()
        assert out[-2] == "Queued to the citizen by e-mail: n…@example.vn (motcua outbox drain sends it now)"
        assert Path(out[-1]).is_file()
        assert "n…@example.vn" in cli("dossier", "notify", code, "--form", "04").stdout
        cli("outbox", "drain")
        [m] = server.mailbox.messages  # queued twice before it went: the second replaced the first
        assert m["Subject"] == f"Hồ sơ {code}: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    finally:
        server.stop()
