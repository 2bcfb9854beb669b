"""The daily sweep of incoming e-mails' bytes (mail.inbound_sweep) reads the messages that
still have them by the time they arrived: a partial index of those only."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0003_inbound'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='inboundmessage',
            index=models.Index(condition=models.Q(('raw', ''), _negated=True), fields=['received_at'], name='inbound_stored_received'),
        ),
    ]
