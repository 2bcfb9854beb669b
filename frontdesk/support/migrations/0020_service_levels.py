# Service levels (SPEC X8): a request's due moments, its first response, its paused clock,
# the breaching view's index; the event of a change of topic.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0019_shared_tasks'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='first_responded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='first response'),
        ),
        migrations.AddField(
            model_name='task',
            name='first_response_due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='first response due'),
        ),
        migrations.AddField(
            model_name='task',
            name='next_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='task',
            name='resolution_due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='resolution due'),
        ),
        migrations.AddField(
            model_name='task',
            name='sla_paused_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='task',
            name='sla_paused_minutes',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('next_due_at__isnull', False)), fields=['organization', 'is_open', 'next_due_at', 'id'], name='task_org_open_next_due'),
        ),
        migrations.AlterField(
            model_name='taskevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('posted', 'Post'), ('post_shown', 'Post made visible'), ('post_hidden', 'Post made internal'), ('status', 'Status changed'), ('assignees', 'Assignees changed'), ('due_date', 'Due date changed'), ('priority', 'Priority changed'), ('severity', 'Severity changed'), ('category', 'Category changed'), ('solution', 'Solution changed'), ('rated', 'Rated by the customer'), ('customer', 'Customer changed'), ('shared', 'Shared with the customer'), ('unshared', 'No longer shared with the customer'), ('topic', 'Topic changed')], max_length=30),
        ),
    ]
