"""Which billing tabs each portal user may use (SPEC P15). Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_faq_tab'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portaluser',
            name='sees_balance',
            field=models.BooleanField(default=True, verbose_name='sees the balance'),
        ),
        AddColumnInPlace(
            model_name='portaluser',
            name='sees_invoices',
            field=models.BooleanField(default=True, verbose_name='sees invoices'),
        ),
        AddColumnInPlace(
            model_name='portaluser',
            name='sees_quotes',
            field=models.BooleanField(default=True, verbose_name='sees quotes'),
        ),
    ]
