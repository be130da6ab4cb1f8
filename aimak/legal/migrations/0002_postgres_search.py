"""PostgreSQL only: pg_trgm, a GIN index on the search vector and a trigram GIN index on
the folded text. On any other database this migration does nothing (the fallback search
needs no index)."""

from django.db import migrations

FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS legal_act_search_vector_gin "
    "ON legal_legalact USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS legal_act_search_folded_trgm "
    "ON legal_legalact USING gin (search_folded gin_trgm_ops)",
)
BACKWARD = (
    "DROP INDEX IF EXISTS legal_act_search_folded_trgm",
    "DROP INDEX IF EXISTS legal_act_search_vector_gin",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
