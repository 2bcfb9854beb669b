"""The end of a customer's support contract and the date a reminder was sent for (SPEC P18).
Both columns are nullable without a default: Django's SQLite schema editor adds such a
column with `ALTER TABLE … ADD COLUMN` already, without copying the table (`AddColumnInPlace`
is for columns with a default, and refuses these). The new activity kind changes only
choices: no SQL."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0012_duplicate_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='customer',
            name='support_reminded_for',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='customer',
            name='support_until',
            field=models.DateField(blank=True, null=True, verbose_name='support contract until'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('updated', 'Updated'), ('imported', 'Imported'), ('note', 'Note'), ('contact_added', 'Contact Added'), ('portal_invited', 'Portal Invited'), ('portal_access', 'Portal Access'), ('quote_created', 'Quote Created'), ('quote_sent', 'Quote Sent'), ('quote_answered', 'Quote Answered'), ('invoice_issued', 'Invoice Issued'), ('invoice_answered', 'Invoice Answered'), ('payment', 'Payment'), ('invoice_cancelled', 'Invoice Cancelled'), ('merged', 'Merged'), ('task_linked', 'Task Linked'), ('task_unlinked', 'Task Unlinked'), ('quote_linked', 'Quote Linked'), ('quote_unlinked', 'Quote Unlinked'), ('support_reminded', 'Support Reminded')], max_length=20),
        ),
    ]
