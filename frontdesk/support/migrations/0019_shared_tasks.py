"""Shared work (SPEC P16): a staff task shared with its customer. The column is added in place
(the task table's triggers, migration 0004, stay as they are), with a partial index for the
portal's list of a customer's shared tasks."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0018_api_source'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='task',
            name='shared_with_customer',
            field=models.BooleanField(default=False, verbose_name='shared with the customer'),
        ),
        migrations.AlterField(
            model_name='taskevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('posted', 'Post'), ('post_shown', 'Post made visible'), ('post_hidden', 'Post made internal'), ('status', 'Status changed'), ('assignees', 'Assignees changed'), ('due_date', 'Due date changed'), ('priority', 'Priority changed'), ('severity', 'Severity changed'), ('category', 'Category changed'), ('solution', 'Solution changed'), ('rated', 'Rated by the customer'), ('customer', 'Customer changed'), ('shared', 'Shared with the customer'), ('unshared', 'No longer shared with the customer')], max_length=30),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('shared_with_customer', True)), fields=['organization', 'customer', '-id'], name='task_customer_shared_id'),
        ),
    ]
