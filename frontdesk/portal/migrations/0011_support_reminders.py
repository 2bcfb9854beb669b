"""How many days before its end a customer's support contract is announced (SPEC P18):
a column added in place."""

import django.core.validators
from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0010_shared_files'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='support_reminder_days',
            field=models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MaxValueValidator(365)], verbose_name='remind customers this many days before their support ends (0: never)'),
        ),
    ]
