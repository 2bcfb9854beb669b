"""The portal's tab and home page part of the files shared with a customer (SPEC P16): columns
added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0009_customer_access'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_recent_documents',
            field=models.BooleanField(default=True, verbose_name='recent shared files'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='show_documents',
            field=models.BooleanField(default=True, verbose_name='show the files shared with the customer'),
        ),
    ]
