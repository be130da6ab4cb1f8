"""PostgreSQL search data in a narrow table of its own (docs/legal-search.md).

The weighted tsvector of 0002 lived in the wide acts table, so every search read and
decompressed big rows. LegalActSearch holds one narrow row per act: the filter columns,
a small title vector, the title-and-text vector stripped of positions (lz4 where the
server has it) and the folded titles, with GIN, trigram and date indexes. On any other
database the table is created and stays empty (the fallback search reads the acts).
Reversible: backwards the 0002 vector and its index are rebuilt from the acts.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FOLD_FROM, FOLD_TO = "ңӊөүё", "нн\u043eуе"  # as aimak.legal.text (о is Cyrillic)
MARKED = "regexp_replace({0}, '([[:alnum:]]+)', 'ky\\1', 'g')"  # text.SIMPLE_MARK
FOLDED_KY = "translate(lower(coalesce(a.{0}, '')), '" + FOLD_FROM + "', '" + FOLD_TO + "')"
TITLE_RU = (
    "setweight(to_tsvector('russian', coalesce(a.title_ru, '') || ' ' || "
    + FOLDED_KY.format("title_ky")
    + "), 'A')"
)
TITLE = (
    TITLE_RU
    + " || setweight(to_tsvector('simple', "
    + MARKED.format("coalesce(a.search_folded, '')")
    + "), 'A')"
)
TEXT_RU = "to_tsvector('russian', coalesce(a.text_ru, ''))"
TEXT_KY = "to_tsvector('simple', " + MARKED.format(FOLDED_KY.format("text_ky")) + ")"
# 0002's vector, without the mark (for the way back).
OLD_TITLE = TITLE_RU + " || setweight(to_tsvector('simple', coalesce(a.search_folded, '')), 'A')"
OLD_TEXT_KY = "to_tsvector('simple', " + FOLDED_KY.format("text_ky") + ")"
INDEXES = (
    "CREATE INDEX legal_search_vector_gin ON legal_legalactsearch USING gin (vector)",
    "CREATE INDEX legal_search_title_gin ON legal_legalactsearch USING gin (title_vector)",
    "CREATE INDEX legal_search_folded_trgm ON legal_legalactsearch "
    "USING gin (folded_title gin_trgm_ops)",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone():
            execute("ALTER TABLE legal_legalactsearch ALTER COLUMN vector SET COMPRESSION lz4")
    execute("ALTER TABLE legal_legalactsearch ALTER COLUMN vector SET STORAGE MAIN")
    execute(
        "INSERT INTO legal_legalactsearch "
        "(act_id, date, act_type, body_id, status, title_vector, vector, folded_title) "
        f"SELECT a.id, a.date, a.act_type, a.body_id, a.status, {TITLE}, "
        f"strip({TITLE} || {TEXT_RU} || {TEXT_KY}), a.search_folded FROM legal_legalact a"
    )
    for statement in INDEXES:
        execute(statement)
    execute("ANALYZE legal_legalactsearch")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"UPDATE legal_legalact a SET search_vector = {OLD_TITLE} || setweight({TEXT_RU}, 'B') "
        f"|| setweight({OLD_TEXT_KY}, 'B')"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS legal_act_search_vector_gin "
        "ON legal_legalact USING gin (search_vector)"
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0002_postgres_search")]

    operations = [
        migrations.CreateModel(
            name="LegalActSearch",
            fields=[
                (
                    "act",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="legal.legalact",
                    ),
                ),
                ("date", models.DateField()),
                ("act_type", models.CharField(max_length=32)),
                ("status", models.CharField(max_length=16)),
                ("title_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("folded_title", models.TextField(default="")),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="legal.issuingbody",
                    ),
                ),
            ],
            options={
                "verbose_name": "search data of a legal act",
                "verbose_name_plural": "search data of legal acts",
                "indexes": [models.Index(fields=["-date", "-act"], name="legal_search_date")],
            },
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="legalact", name="search_vector"),
    ]
