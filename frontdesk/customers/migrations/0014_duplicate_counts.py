"""The counts of the customers' duplicate keys (SPEC C11), kept by triggers
(customers/duplicate_counts.py): the table, then the triggers, which count every key there is."""

import django.db.models.deletion
from django.db import migrations, models

from frontdesk.customers import duplicate_counts


def create_triggers(apps, schema_editor):
    duplicate_counts.ensure(schema_editor.connection)  # and counts every key


def drop_triggers(apps, schema_editor):
    duplicate_counts.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0013_support_reminders'),
        ('organizations', '0002_fk_indexes_led_by_others'),
    ]

    operations = [
        migrations.CreateModel(
            name='DuplicateCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=12)),
                ('shared_key', models.CharField(max_length=120)),
                ('size', models.IntegerField()),
                ('is_shared', models.GeneratedField(db_persist=True, expression=models.Case(models.When(size__gt=1, then=models.Value(1)), default=models.Value(0)), output_field=models.PositiveSmallIntegerField())),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'kind', 'is_shared', 'shared_key'], name='duplicate_count_shared')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'kind', 'shared_key'), name='duplicate_count_key')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
