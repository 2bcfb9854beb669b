"""The view by topic (SPEC T7): a task's topic index becomes (topic, open, newest first), the
same one index written on insert."""

import django.db.models.deletion
from django.db import migrations, models

from frontdesk.lib.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0009_delegate_and_overdue'),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='task',
            name='topic',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='support.topic', verbose_name='topic'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['topic', 'is_open', '-id'], name='task_topic_open_id'),
        ),
    ]
