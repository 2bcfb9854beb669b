"""A customer's contacts in name order (the customers list reads each customer's first contact
and counts them from it); the contact's own index on its customer, which the new one leads with,
goes (core/tests/test_indexes.py)."""

import django.db.models.deletion
from django.db import migrations, models

from frontdesk.lib.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0006_fk_indexes_led_by_others'),
        ('organizations', '0002_fk_indexes_led_by_others'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['customer', 'first_name', 'last_name', 'id'],
                               name='contact_customer_name'),
        ),
        DropForeignKeyIndex(
            model_name='contact',
            name='customer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='contacts', to='customers.customer'),
        ),
    ]
