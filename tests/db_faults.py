"""A database connection that really drops in the middle of a request, for fault tests.

``connection_dropped(after_write=n)`` lets the n-th INSERT/UPDATE/DELETE of the default connection
run, then cuts the connection before its COMMIT; ``before_write=n`` cuts it just before the n-th
is sent, with the earlier writes of the transaction done. No mock: on PostgreSQL a second connection terminates the backend
(``pg_terminate_backend``, waiting until it is gone); on SQLite the driver's connection is rolled back and
closed under Django, which loses the uncommitted transaction exactly as a vanished server would."""

from contextlib import contextmanager

from django.db import connection

WRITES = ("INSERT", "UPDATE", "DELETE")


def drop(victim) -> None:
    """Cut ``victim``'s link to the database, leaving Django's wrapper believing it is open."""
    if victim.vendor == "postgresql":
        pid = victim.connection.info.backend_pid
        killer = victim.copy(alias="db_faults_killer")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                assert cursor.fetchone()[0], "the backend was not terminated"
        finally:
            killer.close()
    elif victim.vendor == "sqlite":
        # What the server does to a dropped client: the open transaction is rolled back (its
        # lock released: a closed connection with statements still open stays alive until they
        # are garbage-collected), then the link is gone.
        victim.connection.rollback()
        victim.connection.close()
    else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL only
        raise NotImplementedError(victim.vendor)


@contextmanager
def connection_dropped(*, after_write: int | None = None, before_write: int | None = None):
    """Within the block, the connection drops right after its ``after_write``-th INSERT/UPDATE/
    DELETE has run (its COMMIT is lost), or just before the ``before_write``-th is sent (the
    earlier writes of the transaction are lost). Yields a dict whose "dropped" says whether it
    happened (a test asserts it did)."""
    assert (after_write is None) != (before_write is None)
    state = {"writes": 0, "dropped": False}

    def wrapper(execute, sql, params, many, context):
        write = not state["dropped"] and sql.lstrip().upper().startswith(WRITES)
        if write:
            state["writes"] += 1
        if write and state["writes"] == before_write:
            state["dropped"] = True
            drop(context["connection"])
        result = execute(sql, params, many, context)
        if write and state["writes"] == after_write:
            state["dropped"] = True
            drop(context["connection"])
        return result

    with connection.execute_wrapper(wrapper):
        yield state
