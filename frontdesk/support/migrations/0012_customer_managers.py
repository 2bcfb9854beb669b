"""A topic may send a customer's requests to its portal customer managers (SPEC C5, T3).
The column added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0011_severity_category_solution'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='topic',
            name='to_customer_managers',
            field=models.BooleanField(default=False, verbose_name="the customer's managers"),
        ),
    ]
