"""The portal's quotes, invoices and balance tabs, each switched on or off (SPEC P15).
Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_stage_names'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='show_balance',
            field=models.BooleanField(default=False, verbose_name='show the balance of the account'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='show_invoices',
            field=models.BooleanField(default=True, verbose_name='show invoices'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='show_quotes',
            field=models.BooleanField(default=True, verbose_name='show quotes'),
        ),
    ]
