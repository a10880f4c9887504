from django.db import migrations


def seed(apps, schema_editor):
    from flags.rules import DEFAULT_CATEGORIES

    category = apps.get_model("flags", "FlagCategory")
    for code, name, colour, position, description in DEFAULT_CATEGORIES:
        category.objects.update_or_create(
            code=code, defaults={"name": name, "colour": colour, "position": position, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("flags", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
