"""Alembic environment: runs on the connection that ``Database.migrate`` passes in.

For development, ``alembic -c alembic.ini revision --autogenerate`` also works; it
reads MOTCUA_DB_URL or the default SQLite file.
"""

from alembic import context

from desktop.models import metadata

config = context.config


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations must not import model code: UTCDateTime is a plain DateTime in the schema.
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True,
                          render_item=_render_item)
        with context.begin_transaction():
            context.run_migrations()
        return
    from desktop.config import load_settings
    from desktop.db.cipher import workstation_database

    engine = workstation_database(load_settings()).engine  # an encrypted file gets its key
    with engine.begin() as c:
        context.configure(connection=c, target_metadata=metadata, render_as_batch=True,
                          render_item=_render_item)
        with context.begin_transaction():
            context.run_migrations()


run()
