"""Severity, category and solution of a request (SPEC T6): columns added in place, every
request with none."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0010_task_topic_open'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='task',
            name='category',
            field=models.CharField(blank=True, choices=[('big', 'Big problem'), ('small', 'Small problem'), ('other', 'Other problem')], default='', max_length=10, verbose_name='category'),
        ),
        AddColumnInPlace(
            model_name='task',
            name='severity',
            field=models.CharField(blank=True, choices=[('minor', 'Minor'), ('major', 'Major'), ('feature', 'Feature'), ('critical', 'Critical')], default='', max_length=10, verbose_name='severity'),
        ),
        AddColumnInPlace(
            model_name='task',
            name='solution',
            field=models.TextField(blank=True, default='', verbose_name='solution'),
        ),
        migrations.AlterField(
            model_name='taskevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('posted', 'Post'), ('post_shown', 'Post made visible'), ('post_hidden', 'Post made internal'), ('status', 'Status changed'), ('assignees', 'Assignees changed'), ('due_date', 'Due date changed'), ('priority', 'Priority changed'), ('severity', 'Severity changed'), ('category', 'Category changed'), ('solution', 'Solution changed')], max_length=30),
        ),
    ]
