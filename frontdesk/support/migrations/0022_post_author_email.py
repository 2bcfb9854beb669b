"""A reply e-mailed by a request's CC follower (SPEC X5) is signed with its address
(`Post.author_email`). An empty text column with a constant default: PostgreSQL adds it
without rewriting the table; no index (it is read only with its post)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('support', '0021_followers'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='author_email',
            field=models.EmailField(blank=True, default='', max_length=254, verbose_name='e-mail'),
        ),
    ]
