"""The library's themes (seed 004: "from communications through communal services to
budget planning"), ky/ru/en; and on PostgreSQL GIN indexes on the search vectors."""

from django.db import migrations

THEMES = [
    # slug, ky, ru, en
    ("communications", "Коммуникация жана калк менен иштөө", "Коммуникации и работа с населением", "Communications and public outreach"),
    ("participation", "Жарандардын катышуусу", "Участие граждан", "Citizen participation"),
    ("budget-planning", "Бюджетти пландоо жана ачык бюджет", "Бюджетное планирование и открытый бюджет", "Budget planning and open budgets"),
    ("local-revenue", "Жергиликтүү кирешелер жана салыктар", "Местные доходы и налоги", "Local revenue and taxes"),
    ("communal-services", "Коммуналдык кызматтар", "Коммунальные услуги", "Communal services"),
    ("drinking-water", "Ичүүчү суу жана санитария", "Питьевая вода и санитария", "Drinking water and sanitation"),
    ("waste", "Катуу тиричилик калдыктары", "Твёрдые бытовые отходы", "Solid waste"),
    ("pastures", "Жайыттар жана жер ресурстары", "Пастбища и земельные ресурсы", "Pastures and land"),
    ("municipal-property", "Муниципалдык менчик", "Муниципальная собственность", "Municipal property"),
    ("economic-development", "Жергиликтүү экономикалык өнүгүү", "Местное экономическое развитие", "Local economic development"),
    ("strategic-planning", "Стратегиялык пландоо (СЭӨП)", "Стратегическое планирование (ПСЭР)", "Strategic planning (SEDP)"),
    ("social-inclusion", "Социалдык колдоо жана инклюзия", "Социальная поддержка и инклюзия", "Social support and inclusion"),
    ("monitoring", "Мониторинг жана баалоо, отчеттук карталар", "Мониторинг и оценка, отчётные карточки", "Monitoring, evaluation and report cards"),
    ("inter-municipal", "Муниципалитеттер аралык кызматташтык", "Межмуниципальное сотрудничество", "Inter-municipal cooperation"),
    ("digital", "Санариптик муниципалитет", "Цифровой муниципалитет", "Digital municipality"),
]  # fmt: skip

PG_FORWARD = (
    "CREATE INDEX IF NOT EXISTS practices_practice_search_gin "
    "ON practices_practice USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS practices_expert_search_gin "
    "ON practices_expert USING gin (search_vector)",
)
PG_BACKWARD = (
    "DROP INDEX IF EXISTS practices_practice_search_gin",
    "DROP INDEX IF EXISTS practices_expert_search_gin",
)


def themes_forward(apps, schema_editor):
    Theme = apps.get_model("practices", "Theme")
    for position, (slug, ky, ru, en) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "position": position,
                "name": ru,
                "name_ky": ky,
                "name_ru": ru,
                "name_en": en,
            },
        )


def themes_backward(apps, schema_editor):
    apps.get_model("practices", "Theme").objects.filter(slug__in=[t[0] for t in THEMES]).delete()


def indexes_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)


def indexes_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [
        migrations.RunPython(themes_forward, themes_backward),
        migrations.RunPython(indexes_forward, indexes_backward),
    ]
