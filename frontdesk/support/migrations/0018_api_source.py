"""Requests made through the REST API (SPEC X1) are saved with the API as their source: a choice
only, no SQL."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0017_topic_forms_and_assignment'),
    ]

    operations = [
        migrations.AlterField(
            model_name='task',
            name='source',
            field=models.CharField(choices=[('staff', 'Staff'), ('form', 'Public support form'), ('portal', 'Portal'), ('email', 'E-mail'), ('api', 'API')], default='staff', max_length=10),
        ),
    ]
