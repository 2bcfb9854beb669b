"""Foreign keys whose column leads another index lose their own index (written on every
insert, serving no query the other does not): core/tests/test_indexes.py."""

import django.db.models.deletion
from django.db import migrations, models

from frontdesk.lib.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0005_sqlite_search_index'),
        ('organizations', '0002_fk_indexes_led_by_others'),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='contact',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        DropForeignKeyIndex(
            model_name='customer',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        DropForeignKeyIndex(
            model_name='customfieldvalue',
            name='customer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='custom_values', to='customers.customer'),
        ),
    ]
