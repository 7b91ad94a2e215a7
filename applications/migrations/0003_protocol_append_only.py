"""The protocol register is append-only below the ORM too (DPR 445/2000 art. 53).

PostgreSQL refuses UPDATE and DELETE of a registration (TRUNCATE, used only to empty a
test database, is not a row operation). SQLite refuses UPDATE; a DELETE is refused by the
model, because Django empties SQLite test databases with DELETE.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION applications_protocolentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the protocol register is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_protocolentry_append_only
    BEFORE UPDATE OR DELETE ON applications_protocolentry
    FOR EACH ROW EXECUTE FUNCTION applications_protocolentry_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS applications_protocolentry_append_only ON applications_protocolentry;
DROP FUNCTION IF EXISTS applications_protocolentry_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER applications_protocolentry_append_only
BEFORE UPDATE ON applications_protocolentry
BEGIN
    SELECT RAISE(ABORT, 'the protocol register is append-only');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS applications_protocolentry_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_initial")]

    operations = [migrations.RunPython(forward, reverse)]
