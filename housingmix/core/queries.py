"""Query expressions Django does not ship for every database the portal runs on."""

from django.db.models import Aggregate, JSONField


class JSONList(Aggregate):
    """The grouped rows' values as one JSON array (``JSONB_AGG`` on PostgreSQL,
    ``JSON_GROUP_ARRAY`` on SQLite): with ``JSONObject`` inside a ``Subquery``, a list of related
    rows read as a column of their parent's query instead of a prefetch query. Order is not kept:
    sort in Python. NULL when the group is empty (a subquery that found no rows)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
