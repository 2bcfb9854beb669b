"""Who may use the portal and which requests its people see (SPEC P10): two columns added in
place, and each customer's own terms."""

import django.db.models.deletion
from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0011_notes_activities'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('portal', '0008_portal_home_and_look'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='portal_for',
            field=models.CharField(choices=[('all', 'Every customer'), ('selected', 'Only the customers given access')], default='all', max_length=10, verbose_name='the portal is open to'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='seen_by_default',
            field=models.CharField(choices=[('customer', 'Every request of their customer'), ('own', 'Only the requests they made themselves')], default='customer', max_length=10, verbose_name='a portal user sees'),
        ),
        migrations.CreateModel(
            name='CustomerAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('allowed', models.BooleanField(default=True, verbose_name='may use the portal')),
                ('shows', models.CharField(choices=[('all', 'All its requests'), ('since', 'Its requests since a date'), ('new', 'Only its new requests, from now on')], default='all', max_length=5, verbose_name='requests shown')),
                ('since', models.DateTimeField(blank=True, null=True, verbose_name='since')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('customer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='portal_access', to='customers.customer')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'allowed'], name='customer_access_org')],
            },
        ),
    ]
