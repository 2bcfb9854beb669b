from django.db import migrations, models


class Migration(migrations.Migration):
    # Sessions saved before this have no portal user in the column: their portal pages read the
    # portal user on their own (one query more) until the session is next saved.

    dependencies = [
        ("accounts", "0004_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="portal_user_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
