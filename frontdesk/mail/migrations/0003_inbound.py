"""Incoming e-mail (SPEC E2): the messages received and each organization's settings; the
Message-ID and request of each e-mail sent, to thread the replies (the outbox's column is
added in place: SQLite would copy the table)."""

import django.db.models.deletion
import frontdesk.mail.models
from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0002_fk_indexes_led_by_others'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('support', '0015_saved_replies'),
    ]

    operations = [
        migrations.CreateModel(
            name='InboundMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32, unique=True)),
                ('raw', models.FileField(max_length=300, upload_to=frontdesk.mail.models.inbound_path)),
                ('size', models.PositiveBigIntegerField(default=0)),
                ('dedupe_key', models.CharField(max_length=255)),
                ('message_id', models.CharField(blank=True, max_length=255, verbose_name='Message-ID')),
                ('from_address', models.CharField(blank=True, max_length=254, verbose_name='from')),
                ('subject', models.CharField(blank=True, max_length=300, verbose_name='subject')),
                ('status', models.CharField(choices=[('received', 'Waiting'), ('request', 'New request'), ('reply', 'Reply to a request'), ('ignored', 'Ignored'), ('failed', 'Failed')], default='received', max_length=10, verbose_name='status')),
                ('reason', models.CharField(blank=True, choices=[('auto_reply', 'Automatic reply'), ('bulk', 'Mailing list or bulk e-mail'), ('loop', 'Sent by a mail system or by ourselves'), ('no_sender', 'No sender address'), ('flood', 'Too many e-mails from this sender'), ('off', 'Receiving e-mail is switched off')], max_length=12)),
                ('notes', models.JSONField(blank=True, default=list)),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('received_at', models.DateTimeField(auto_now_add=True)),
                ('processed_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='InboundSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=False, verbose_name='receive e-mail')),
                ('support_address', models.EmailField(blank=True, help_text='The address customers write to. Replies to our e-mails go there too.', max_length=254, verbose_name='support address')),
                ('token_hash', models.CharField(blank=True, max_length=64)),
                ('token_created_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        AddColumnInPlace(
            model_name='outboxmessage',
            name='message_id',
            field=models.CharField(blank=True, default='', max_length=255),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='task_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='outboxmessage',
            index=models.Index(condition=models.Q(('task_id__isnull', False)), fields=['organization', 'message_id'], name='outbox_org_message_id'),
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='task',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='support.task'),
        ),
        migrations.AddField(
            model_name='inboundsettings',
            name='organization',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        migrations.AddField(
            model_name='inboundsettings',
            name='topic',
            field=models.ForeignKey(blank=True, help_text='Empty: the first topic.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='support.topic', verbose_name='topic'),
        ),
        migrations.AddIndex(
            model_name='inboundmessage',
            index=models.Index(fields=['organization', '-id'], name='inbound_org_id'),
        ),
        migrations.AddIndex(
            model_name='inboundmessage',
            index=models.Index(condition=models.Q(('task__isnull', False)), fields=['organization', 'message_id'], name='inbound_org_message_id'),
        ),
        migrations.AddIndex(
            model_name='inboundmessage',
            index=models.Index(condition=models.Q(('task__isnull', False)), fields=['task'], name='inbound_task'),
        ),
        migrations.AddConstraint(
            model_name='inboundmessage',
            constraint=models.UniqueConstraint(fields=('organization', 'dedupe_key'), name='inbound_once'),
        ),
    ]
