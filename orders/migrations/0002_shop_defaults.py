from django.db import migrations


def seed(apps, schema_editor):
    from orders.defaults import shop_defaults_seed

    shop_defaults_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
