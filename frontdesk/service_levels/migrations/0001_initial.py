# Service levels (SPEC X8): business hours and targets.

import django.db.models.deletion
import frontdesk.service_levels.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('support', '0020_service_levels'),
    ]

    operations = [
        migrations.CreateModel(
            name='BusinessHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('time_zone', models.CharField(default=frontdesk.service_levels.models.default_time_zone, max_length=64, verbose_name='time zone')),
                ('week', models.JSONField(default=frontdesk.service_levels.models.default_week)),
                ('holidays', models.JSONField(blank=True, default=list)),
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='business_hours', to='organizations.organization')),
            ],
        ),
        migrations.CreateModel(
            name='ServiceTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], max_length=10, verbose_name='priority')),
                ('first_response_minutes', models.PositiveIntegerField(blank=True, null=True)),
                ('resolution_minutes', models.PositiveIntegerField(blank=True, null=True)),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
                ('topic', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='support.topic', verbose_name='topic')),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('topic__isnull', False)), fields=('topic', 'priority'), name='service_target_topic'), models.UniqueConstraint(condition=models.Q(('topic__isnull', True)), fields=('organization', 'priority'), name='service_target_any_topic')],
            },
        ),
    ]
