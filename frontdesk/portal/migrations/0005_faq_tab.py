"""The portal's FAQ tab, switched on or off (SPEC K1, P15). A column added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_billing_tabs'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='show_faq',
            field=models.BooleanField(default=False, verbose_name='show the FAQ (published articles, no log-in needed)'),
        ),
    ]
