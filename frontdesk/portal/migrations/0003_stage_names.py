"""What customers call each stage of their requests (SPEC X4). Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_fk_indexes_led_by_others'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='stage_closed',
            field=models.CharField(blank=True, default='', max_length=60, verbose_name="customers' name for “Closed”"),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='stage_in_progress',
            field=models.CharField(blank=True, default='', max_length=60, verbose_name="customers' name for “In progress”"),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='stage_open',
            field=models.CharField(blank=True, default='', max_length=60, verbose_name="customers' name for “Open”"),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='stage_waiting',
            field=models.CharField(blank=True, default='', max_length=60, verbose_name="customers' name for “Waiting for reply”"),
        ),
    ]
