"""The portal's home page and its look beyond logo and colour (SPEC P13, P14): columns added in
place."""

from django.db import migrations, models

from frontdesk.lib.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0007_signup'),
    ]

    operations = [
        AddColumnInPlace(
            model_name='portalsettings',
            name='announcement',
            field=models.TextField(blank=True, default='', verbose_name='announcement'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='css_version',
            field=models.CharField(blank=True, default='', editable=False, max_length=16),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='custom_css',
            field=models.TextField(blank=True, default='', verbose_name='custom CSS'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='greeting',
            field=models.CharField(choices=[('none', 'No greeting'), ('fixed', 'A fixed text'), ('time', 'By the time of day (good morning, good afternoon …)')], default='time', max_length=5, verbose_name='greeting'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='greeting_text',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='fixed greeting'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_charts',
            field=models.BooleanField(default=True, verbose_name="charts of the customer's requests and invoices"),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_handlers',
            field=models.BooleanField(default=True, verbose_name="who is handling the customer's requests"),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_recent_faq',
            field=models.BooleanField(default=True, verbose_name='recent FAQ entries'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_recent_invoices',
            field=models.BooleanField(default=True, verbose_name='recent invoices'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='home_recent_requests',
            field=models.BooleanField(default=True, verbose_name='recent requests'),
        ),
        AddColumnInPlace(
            model_name='portalsettings',
            name='login_message',
            field=models.TextField(blank=True, default='', verbose_name='text on the log-in page'),
        ),
    ]
