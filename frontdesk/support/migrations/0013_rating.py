"""The customer's rating of a closed request (SPEC X2). Columns added in place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0012_customer_managers'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='task',
            name='rating',
            field=models.CharField(blank=True, choices=[('good', 'Good'), ('bad', 'Bad')], default='', max_length=4, verbose_name='rating'),
        ),
        AddColumnInPlace(
            model_name='task',
            name='rating_comment',
            field=models.TextField(blank=True, default='', verbose_name='comment'),
        ),
        migrations.AlterField(
            model_name='taskevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('posted', 'Post'), ('post_shown', 'Post made visible'), ('post_hidden', 'Post made internal'), ('status', 'Status changed'), ('assignees', 'Assignees changed'), ('due_date', 'Due date changed'), ('priority', 'Priority changed'), ('severity', 'Severity changed'), ('category', 'Category changed'), ('solution', 'Solution changed'), ('rated', 'Rated by the customer')], max_length=30),
        ),
    ]
