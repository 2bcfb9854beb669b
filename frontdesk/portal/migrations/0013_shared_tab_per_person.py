"""Whether each person (and each customer they act for) may use the tab of the tasks and files
shared with the customer (SPEC P15, P16). Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0012_portal_memberships'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalmembership',
            name='sees_shared',
            field=models.BooleanField(default=True, verbose_name='sees the shared tasks and files'),
        ),
        AddColumnInPlace(
            model_name='portaluser',
            name='sees_shared',
            field=models.BooleanField(default=True, verbose_name='sees the shared tasks and files'),
        ),
    ]
