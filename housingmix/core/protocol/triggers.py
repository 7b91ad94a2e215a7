"""The register is append-only below the ORM too (DPR 445/2000 art. 53).

PostgreSQL refuses UPDATE and DELETE of a registration (TRUNCATE, used only to empty a test
database, is not a row operation). SQLite refuses UPDATE; a DELETE is refused by the model,
because Django empties SQLite test databases with DELETE.

SQLite drops a table's triggers when a migration rebuilds the table (any ALTER beyond a rename
or an added column): ``install`` is therefore idempotent, run by the migrations that create or
alter the table and again after every ``migrate`` (``core.apps``), and ``installed`` lets a test
prove the triggers are in force.
"""

TABLE = "core_protocolentry"
NAME = "core_protocolentry_append_only"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the protocol register is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {NAME} ON {TABLE};
CREATE TRIGGER {NAME}
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {NAME}();
"""
PG_REVERSE = f"DROP TRIGGER IF EXISTS {NAME} ON {TABLE}; DROP FUNCTION IF EXISTS {NAME}();"
SQLITE_FORWARD = f"""
CREATE TRIGGER IF NOT EXISTS {NAME}
BEFORE UPDATE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, 'the protocol register is append-only');
END;
"""
SQLITE_REVERSE = f"DROP TRIGGER IF EXISTS {NAME};"


def install(connection) -> None:
    """Create the triggers if they are missing (safe to run any number of times)."""
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return
        if connection.vendor == "postgresql":
            cursor.execute(PG_FORWARD)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_FORWARD)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_REVERSE)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_REVERSE)


def installed(connection) -> bool:
    """True when the append-only trigger exists on the register's table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass AND NOT tgisinternal",
                [NAME, TABLE],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [NAME])
        else:
            return False
        return cursor.fetchone() is not None


def forward(apps, schema_editor) -> None:
    install(schema_editor.connection)


def reverse(apps, schema_editor) -> None:
    uninstall(schema_editor.connection)
