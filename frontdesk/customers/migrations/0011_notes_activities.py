import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0010_transfers'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('portal', '0007_signup'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('created', 'Created'), ('updated', 'Updated'), ('imported', 'Imported'), ('note', 'Note'), ('contact_added', 'Contact Added'), ('portal_invited', 'Portal Invited'), ('portal_access', 'Portal Access'), ('quote_created', 'Quote Created'), ('quote_sent', 'Quote Sent'), ('quote_answered', 'Quote Answered'), ('invoice_issued', 'Invoice Issued'), ('invoice_answered', 'Invoice Answered'), ('payment', 'Payment'), ('invoice_cancelled', 'Invoice Cancelled')], max_length=20)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.customer')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
                ('portal_actor', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='portal.portaluser')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', '-id'], name='activity_org_id'), models.Index(fields=['customer', '-id'], name='activity_customer_id')],
            },
        ),
        migrations.CreateModel(
            name='Note',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='customers.customer')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['customer', '-id'], name='note_customer_id')],
            },
        ),
    ]
