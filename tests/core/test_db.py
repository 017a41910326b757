"""Database bad input: a damaged file, an older schema, an unreachable server."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.engine import make_url

from desktop.db import Database
from desktop.db.models import OrgUnit
from desktop.kernel.errors import MotcuaError
from tests.cli import motcua


def test_damaged_sqlite_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "motcua.db"
    garbage = b"this is not a database\x00" * 200
    path.write_bytes(garbage)
    db = Database(f"sqlite:///{path}")
    with pytest.raises(MotcuaError) as err:
        db.migrate()
    assert "bị hỏng" in str(err.value) and "sao lưu" in str(err.value)
    assert path.read_bytes() == garbage


def test_cli_on_damaged_database_prints_message_not_traceback(tmp_path: Path) -> None:
    path = tmp_path / "motcua.db"
    path.write_bytes(b"garbage" * 1000)
    r = motcua(tmp_path, "audit", "verify", timeout=60)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "bị hỏng" in r.stderr


def test_older_schema_is_migrated_with_a_backup_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "motcua.db"
    db = Database(f"sqlite:///{path}")
    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_initial")
    with db.session() as s:
        s.add(OrgUnit(code="000.00.06.H56", name="Sở Tư pháp"))
    st = db.status()
    if st.up_to_date:
        pytest.skip("only one revision exists: nothing older to migrate from")
    db.migrate()
    assert db.status().up_to_date
    backups = list(tmp_path.glob("motcua.db.bak-*"))
    assert len(backups) == 1
    with db.session() as s:
        assert s.scalar(select(OrgUnit.name).where(OrgUnit.code == "000.00.06.H56")) == "Sở Tư pháp"
    db.dispose()


def test_unreachable_postgres_gives_a_clear_message() -> None:
    db = Database("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(MotcuaError) as err:
        db.status()
    assert "Không kết nối được cơ sở dữ liệu" in str(err.value)
    assert "MOTCUA_DB_URL" in str(err.value)


def test_a_postgres_refusal_is_not_called_unreachable(pg_url: str) -> None:
    """A server that answered and said no (read-only, no such database) names that, not the network."""
    Database(pg_url).migrate()
    url = make_url(pg_url)
    read_only = Database(url.update_query_dict({"options": "-c default_transaction_read_only=on"})
                         .render_as_string(hide_password=False))
    with pytest.raises(MotcuaError) as err:
        read_only.check_writable()
    assert "chỉ cho đọc" in str(err.value) and "Không kết nối được" not in str(err.value)
    read_only.dispose()
    missing = Database(url.set(database="no_such_db").render_as_string(hide_password=False))
    with pytest.raises(MotcuaError) as err:
        missing.status()
    assert "không có cơ sở dữ liệu" in str(err.value) and "init-centre" in str(err.value)
    missing.dispose()
    stranger = Database(url.set(username="nobody_here").render_as_string(hide_password=False))
    with pytest.raises(MotcuaError) as err:
        stranger.status()
    assert "từ chối đăng nhập của “nobody_here”" in str(err.value)
    stranger.dispose()


def test_migrations_run_on_postgres(pg_url: str) -> None:
    db = Database(pg_url)
    assert db.status().empty
    db.migrate()
    assert db.status().up_to_date
    db.dispose()


def _schema_differences(db: Database) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desktop.models import metadata

    with db.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def _favourites_migration_round_trip(db: Database) -> None:
    """0014 (the counters' favourite procedures) builds what the model says, keeps a counter's
    favourites apart from another's, and goes back down cleanly."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError

    from desktop.db.models import CounterFavourite

    cfg = db.alembic_config()
    db.migrate(backup=False)
    assert _schema_differences(db) == []
    with db.session() as s:
        s.add_all([CounterFavourite(unit_code="000.00.06.H56", counter="1", procedure_code="1.001193"),
                   CounterFavourite(unit_code="000.00.06.H56", counter="2", procedure_code="1.001193")])
    with pytest.raises(IntegrityError), db.session() as s:  # one row per counter and procedure
        s.add(CounterFavourite(unit_code="000.00.06.H56", counter="1", procedure_code="1.001193"))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013_report_dossier")
    assert "counter_favourite" not in inspect(db.engine).get_table_names()
    db.migrate(backup=False)
    assert db.status().up_to_date and "counter_favourite" in inspect(db.engine).get_table_names()
    db.dispose()


def test_favourites_migration_on_sqlite(tmp_path: Path) -> None:
    _favourites_migration_round_trip(Database(f"sqlite:///{tmp_path / 'motcua.db'}"))


def test_favourites_migration_on_postgres(pg_url: str) -> None:
    _favourites_migration_round_trip(Database(pg_url))


def _takeovers_migration_round_trip(db: Database) -> None:
    """0015 (outbox failures apart from takeovers) keeps the jobs there are: an attempt of a
    job still to send counts as a failure (the old rule), less the one in flight or delivered;
    going down drops the two counts and keeps the jobs."""
    from sqlalchemy import inspect, text

    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0014_counter_favourites")
    rows = [("pending", 3), ("in_flight", 2), ("done", 1), ("parked", 10), ("waiting", 0), ("in_flight", 0)]
    with db.engine.begin() as conn:
        for i, (state, attempts) in enumerate(rows):
            conn.execute(text("INSERT INTO outbox_job (kind, dossier_id, dossier_code, seq, payload, idempotency_key, "
                              "holder, state, attempts, next_attempt_at, last_error, created_at) VALUES ('anchor', NULL, "
                              "'', :i, '{}', :k, '', :s, :a, '2026-12-01 00:00:00', '', '2026-12-01 00:00:00')"),
                         {"i": i, "k": f"anchor:{i}", "s": state, "a": attempts})
    db.migrate(backup=False)
    assert _schema_differences(db) == []
    with db.engine.connect() as conn:
        got = conn.execute(text("SELECT state, attempts, failures, takeovers FROM outbox_job ORDER BY seq")).all()
    assert [tuple(r) for r in got] == [("pending", 3, 3, 0), ("in_flight", 2, 1, 0), ("done", 1, 0, 0),
                                       ("parked", 10, 10, 0), ("waiting", 0, 0, 0), ("in_flight", 0, 0, 0)]
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0014_counter_favourites")
    columns = {c["name"] for c in inspect(db.engine).get_columns("outbox_job")}
    assert "failures" not in columns and "takeovers" not in columns
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT state, attempts FROM outbox_job ORDER BY seq")).all() == rows
    db.migrate(backup=False)
    assert db.status().up_to_date
    db.dispose()


def test_outbox_takeovers_migration_on_sqlite(tmp_path: Path) -> None:
    _takeovers_migration_round_trip(Database(f"sqlite:///{tmp_path / 'motcua.db'}"))


def test_outbox_takeovers_migration_on_postgres(pg_url: str) -> None:
    _takeovers_migration_round_trip(Database(pg_url))


def test_procedure_agency_migration_keeps_procedures_and_goes_back(tmp_path: Path) -> None:
    """0016 (the procedure's receiving agency) gives every procedure already there an empty
    agency — the workstation's unit receives it, as before — and goes back down cleanly."""
    from sqlalchemy import inspect, text

    db = Database(f"sqlite:///{tmp_path / 'motcua.db'}")
    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0015_outbox_takeovers")
        conn.execute(text("INSERT INTO procedure (code, name, search_key, field, level, days, fees, result, active) "
                          "VALUES ('1.001193', 'Đăng ký khai sinh', 'dang ky khai sinh', '', '', 1, '[]', '', 1)"))
    db.migrate(backup=False)
    assert _schema_differences(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT code, agency_code, agency_name FROM procedure")).all() == [("1.001193", "", "")]
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015_outbox_takeovers")
    assert "agency_code" not in {c["name"] for c in inspect(db.engine).get_columns("procedure")}
    db.migrate(backup=False)
    assert db.status().up_to_date
    db.dispose()


def _report_dossier_migration_round_trip(db: Database) -> None:
    """0017 (the summary carries the dossier columns the report reads) copies them for the
    dossiers already there, gives the dossier that had no row (no component, file, fee or
    status change yet) a stale one, so the report finds it; down to 0016 drops the copy,
    its index and its triggers, and up again fills a dossier received meanwhile."""
    from datetime import UTC, date, datetime

    from sqlalchemy import insert, inspect, text

    from desktop.auth import Actor
    from desktop.db.models import Dossier, DossierStatusChange, Procedure, Role
    from desktop.reports.dossiers import COPIED_COLUMNS, Source, dossier_report
    from desktop.reports.period import Period

    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0016_procedure_agency")

    def receive(code: str, day: int, closed: bool) -> None:
        with db.session() as s:
            # Core statements of the columns named: the model's later columns (0018's purged_at,
            # 0021's result_valid_months) are not in the schema of this older revision
            proc_id = s.execute(select(Procedure.id).where(Procedure.code == "1.000001")).scalar_one_or_none()
            if proc_id is None:
                proc_id = s.execute(insert(Procedure.__table__).values(
                    code="1.000001", name="Chứng thực bản sao", search_key="chung thuc ban sao", days=1)
                    .returning(Procedure.__table__.c.id)).scalar_one()
            dossier_id = s.execute(insert(Dossier.__table__).values(
                code=code, procedure_id=proc_id, applicant_name="Trần Thị B", channel=2, status=9 if closed else 2,
                received_at=datetime(2025, 12, day, 2, tzinfo=UTC), due_at=datetime(2025, 12, day + 1, 2, tzinfo=UTC),
                postal_address={}).returning(Dossier.__table__.c.id)).scalar_one()
            if closed:
                s.execute(insert(DossierStatusChange.__table__).values(
                    dossier_id=dossier_id, status=9, at=datetime(2025, 12, day, 8, tzinfo=UTC)))

    def copies() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        cols = ", ".join(COPIED_COLUMNS)
        with db.engine.connect() as conn:
            return ([tuple(r) for r in conn.execute(text(f"SELECT id, {cols} FROM dossier ORDER BY id"))],
                    [tuple(r) for r in conn.execute(text(f"SELECT dossier_id, {cols} FROM report_dossier "
                                                         "ORDER BY dossier_id"))])

    receive("D1", 1, closed=True)  # its status change made it a (stale) summary row under 0013
    receive("D2", 2, closed=False)  # no row at all under 0013
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM report_dossier")).scalar_one() == 1
    db.migrate(backup=False)
    assert _schema_differences(db) == []
    dossiers, summary = copies()
    assert summary == dossiers and len(summary) == 2
    admin, dec = Actor("admin", Role.ADMIN), Period(date(2025, 12, 1), date(2025, 12, 31))
    as_of = datetime(2026, 1, 5, 2, tzinfo=UTC)
    report = dossier_report(db, admin, dec, "total", as_of=as_of)
    assert (report.total.received, report.total.closed, report.total.online) == (2, 1, 2)
    assert report.to_dict() == dossier_report(db, admin, dec, "total", as_of=as_of, source=Source.FULL).to_dict()

    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0016_procedure_agency")
    columns = {c["name"] for c in inspect(db.engine).get_columns("report_dossier")}
    assert not columns & set(COPIED_COLUMNS) and "gen" in columns
    assert "ix_report_dossier_received_at" not in {i["name"] for i in inspect(db.engine).get_indexes("report_dossier")}
    receive("D3", 3, closed=False)  # no trigger of 0017 left: no row
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM report_dossier")).scalar_one() == 2
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    dossiers, summary = copies()
    assert summary == dossiers and len(summary) == 3
    assert dossier_report(db, admin, dec, "total", as_of=as_of).total.received == 3
    db.dispose()


def test_report_dossier_migration_on_sqlite(tmp_path: Path) -> None:
    _report_dossier_migration_round_trip(Database(f"sqlite:///{tmp_path / 'motcua.db'}"))


def test_report_dossier_migration_on_postgres(pg_url: str) -> None:
    _report_dossier_migration_round_trip(Database(pg_url))


def _insert_dossiers(conn: Any, statuses: dict[str, int]) -> None:
    """One procedure and a dossier per code at its status, in the columns every revision since
    0017 has (SQL, not today's models: a migration test runs at an older schema)."""
    from datetime import datetime

    from sqlalchemy import text

    conn.execute(text("INSERT INTO procedure (code, name, search_key, field, level, days, fees, result, active, "
                      "agency_code, agency_name) VALUES ('1.001193', 'Khai sinh', 'khai sinh', '', '', 1, '[]', "
                      "'', TRUE, '', '')"))
    proc = conn.execute(text("SELECT id FROM procedure")).scalar_one()
    for code, status in statuses.items():
        conn.execute(text("INSERT INTO dossier (code, procedure_id, applicant_name, applicant_id_number, "
                          "applicant_address, applicant_phone, applicant_email, channel, status, received_at, "
                          "postal_address, ticket_number, sets, note, created_at, updated_at, search_key, "
                          "version) VALUES (:c, :p, '', '', '', '', '', 1, :s, :t, '{}', '', 1, '', :t, :t, '', "
                          "1)"), {"c": code, "p": proc, "s": status, "t": datetime(2025, 1, 2, 3)})


def _purged_marker_migration_round_trip(db: Database) -> None:
    """0018 (the purge's marker) marks the dossiers an earlier purge recorded in the audit log
    and no other, builds what the model says, and goes back down with 0017's triggers on
    ``dossier`` still there (a batch copy of the table would have dropped them); then 0021's
    round trip on the same database."""
    from datetime import datetime

    from sqlalchemy import inspect, text

    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017_report_dossier_received")
        _insert_dossiers(conn, {"D-PURGED": 7, "D-KEPT": 7})
        at = datetime(2026, 2, 3, 4, 5, 6)
        conn.execute(text("INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, data, prev_hash, "
                          "hash) VALUES (1, :at, 'admin', 'privacy.purge', 'dossier', 'D-PURGED', '{}', '', '')"),
                     {"at": at})
    db.migrate(backup=False)
    assert _schema_differences(db) == []
    with db.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, purged_at FROM dossier")).all())
    assert rows["D-KEPT"] is None and rows["D-PURGED"] is not None
    assert str(rows["D-PURGED"])[:19] == "2026-02-03 04:05:06"  # the time of its last purge event
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017_report_dossier_received")
    assert "purged_at" not in {c["name"] for c in inspect(db.engine).get_columns("dossier")}
    assert "ix_digitized_file_path" not in {i["name"] for i in inspect(db.engine).get_indexes("digitized_file")}
    with db.engine.begin() as conn:  # 0017's trigger still copies a status change into the summary
        conn.execute(text("UPDATE dossier SET status = 10 WHERE code = 'D-KEPT'"))
        assert conn.execute(text("SELECT r.status FROM report_dossier r JOIN dossier d ON d.id = r.dossier_id "
                                 "WHERE d.code = 'D-KEPT'")).scalar_one() == 10
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    _result_validity_round_trip(db, cfg)  # on the same database: a second one from 0001 would double the time
    _procedure_source_round_trip(db, cfg)
    db.dispose()


def _result_validity_round_trip(db: Database, cfg: Any) -> None:
    """0021 (the procedure's default validity of its result): a procedure already there has
    NULL (no end date); down to 0020 the column goes and the procedures stay; up again."""
    from sqlalchemy import inspect, text

    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT result_valid_months FROM procedure")).scalar_one() is None
        conn.execute(text("UPDATE procedure SET result_valid_months = 6"))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0020_report_dossier_no_orphans")
    assert "result_valid_months" not in {c["name"] for c in inspect(db.engine).get_columns("procedure")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM procedure")).scalar_one() == "1.001193"
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT result_valid_months FROM procedure")).scalar_one() is None


def _procedure_source_round_trip(db: Database, cfg: Any) -> None:
    """0022 (which catalogue file set a procedure): a row already there has NULL, which seeding
    takes as bundled; down to 0021 the column goes and the procedures stay; up again."""
    from sqlalchemy import inspect, text

    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT source FROM procedure")).scalar_one() is None
        conn.execute(text("UPDATE procedure SET source = 'import TINH-1'"))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0021_result_validity")
    assert "source" not in {c["name"] for c in inspect(db.engine).get_columns("procedure")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM procedure")).scalar_one() == "1.001193"
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT source FROM procedure")).scalar_one() is None


def test_purged_marker_migration_on_sqlite(tmp_path: Path) -> None:
    _purged_marker_migration_round_trip(Database(f"sqlite:///{tmp_path / 'motcua.db'}"))


def test_purged_marker_migration_on_postgres(pg_url: str) -> None:
    _purged_marker_migration_round_trip(Database(pg_url))


def _no_orphans_migration_round_trip(db: Database) -> None:
    """0020 (the summary's bumps update the row that is there, none is created) removes the rows
    earlier deletes left and keeps a write for a dossier with no row from making one; down to
    0019 brings 0013's upserts back, and up again removes what they made."""
    from sqlalchemy import text

    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0019_applicant_organisation")
        _insert_dossiers(conn, {"D1": 2})
        kept = conn.execute(text("SELECT id FROM dossier")).scalar_one()

    def write_without_row() -> None:
        """A status change of D1 while its summary row is missing (deleted by hand)."""
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM report_dossier WHERE dossier_id = :i"), {"i": kept})
            conn.execute(text("INSERT INTO dossier_status_change (dossier_id, status, at, note, action, detail) "
                              "VALUES (:i, 4, :t, '', '', '{}')"), {"i": kept, "t": datetime(2025, 1, 3)})

    def rows() -> list[tuple[object, ...]]:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT dossier_id, received_at FROM report_dossier"))]

    write_without_row()  # 0013's upsert: a row with no received_at
    with db.engine.begin() as conn:  # and one left by an earlier delete
        conn.execute(text("INSERT INTO report_dossier (dossier_id, gen) VALUES (:i, 3)"), {"i": kept + 100})
    assert sorted(i for i, _ in rows()) == [kept, kept + 100]
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    assert rows() == [(kept, None)]  # the orphan gone; D1's row stays (summarize_all gives it its columns)
    write_without_row()
    assert rows() == []
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019_applicant_organisation")
    write_without_row()
    assert [i for i, _ in rows()] == [kept]
    db.migrate(backup=False)
    assert db.status().up_to_date and _schema_differences(db) == []
    write_without_row()
    assert rows() == []
    db.dispose()


def test_no_orphans_migration_on_sqlite(tmp_path: Path) -> None:
    _no_orphans_migration_round_trip(Database(f"sqlite:///{tmp_path / 'motcua.db'}"))


def test_no_orphans_migration_on_postgres(pg_url: str) -> None:
    _no_orphans_migration_round_trip(Database(pg_url))
