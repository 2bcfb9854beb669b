"""Which notifications also come by e-mail (SPEC T8): every one, until the person says
otherwise. Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_session_portal_user'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='user',
            name='email_assignments',
            field=models.BooleanField(default=True),
        ),
        AddColumnInPlace(
            model_name='user',
            name='email_customer_replies',
            field=models.BooleanField(default=True),
        ),
        AddColumnInPlace(
            model_name='user',
            name='email_new_requests',
            field=models.BooleanField(default=True),
        ),
    ]
