import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0009_customer_managers'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Transfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('export', 'Export'), ('import', 'Import')], max_length=10)),
                ('state', models.CharField(choices=[('queued', 'Waiting for its turn'), ('working', 'In progress'), ('checked', 'Checked'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                ('file', models.FileField(blank=True, upload_to='transfers/')),
                ('file_name', models.CharField(blank=True, max_length=200)),
                ('rows_total', models.PositiveIntegerField(default=0)),
                ('rows_done', models.PositiveIntegerField(default=0)),
                ('customers_count', models.PositiveIntegerField(default=0)),
                ('row_errors', models.JSONField(blank=True, default=list)),
                ('failure', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
                ('requested_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['organization', '-id'], name='transfer_org_id')],
            },
        ),
    ]
