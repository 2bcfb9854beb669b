# Service levels (SPEC X8): the worker's updates of open requests' due moments after a change.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('service_levels', '0001_initial'),
        ('support', '0021_followers'),
    ]

    operations = [
        migrations.CreateModel(
            name='DueDateUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(blank=True, choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], max_length=10)),
                ('state', models.CharField(choices=[('queued', 'Waiting for its turn'), ('working', 'In progress'), ('done', 'Done'), ('superseded', 'Replaced by a later change'), ('failed', 'Failed')], default='queued', max_length=12)),
                ('rows_total', models.PositiveIntegerField(default=0)),
                ('rows_done', models.PositiveIntegerField(default=0)),
                ('last_task_id', models.BigIntegerField(default=0)),
                ('up_to_task_id', models.BigIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
                ('topic', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='support.topic')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', '-id'], name='due_update_org_id')],
            },
        ),
    ]
