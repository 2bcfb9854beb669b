"""Foreign keys whose column leads another index lose their own index (written on every
insert, serving no query the other does not): core/tests/test_indexes.py."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from frontdesk.lib.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0005_notification_list_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='assignment',
            name='task',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='support.task'),
        ),
        DropForeignKeyIndex(
            model_name='assignment',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL),
        ),
    ]
