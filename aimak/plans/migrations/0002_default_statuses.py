"""The default action statuses (the administrators may edit them afterwards)."""

from django.db import migrations

DEFAULTS = [
    # key, ky, ru, en, default progress, open, excluded from progress, order
    ("planned", "Пландалган", "Запланировано", "Planned", 0, True, False, 10),
    ("in_progress", "Аткарылууда", "Выполняется", "In progress", 50, True, False, 20),
    ("delayed", "Кечиктирилди", "Задерживается", "Delayed", 25, True, False, 30),
    ("done", "Аткарылды", "Выполнено", "Done", 100, False, False, 40),
    ("cancelled", "Жокко чыгарылды", "Отменено", "Cancelled", 0, False, True, 50),
]


def add(apps, schema_editor):
    ActionStatus = apps.get_model("plans", "ActionStatus")
    for key, ky, ru, en, progress, is_open, excluded, order in DEFAULTS:
        ActionStatus.objects.get_or_create(
            key=key,
            defaults={
                "name": ru,
                "name_ky": ky,
                "name_ru": ru,
                "name_en": en,
                "default_progress": progress,
                "is_open": is_open,
                "excluded": excluded,
                "order": order,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("plans", "ActionStatus").objects.filter(
        key__in=[d[0] for d in DEFAULTS], actions__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
