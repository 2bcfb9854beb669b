"""Whether people may open portal accounts themselves (SPEC P5). A column added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_portal_user_modules'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='signup_enabled',
            field=models.BooleanField(default=False, verbose_name='people may sign up themselves'),
        ),
    ]
