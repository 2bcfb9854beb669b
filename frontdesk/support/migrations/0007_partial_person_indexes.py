"""The people on posts, events and tasks are indexed only where set (a post has a staff author
or a portal author, never both; the requests customers make have no creator), and the
organization of posts and events not at all (they are read by task): fewer index pages written
by each new request and reply. The indexes serve their person's deletion (SET_NULL)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from frontdesk.lib.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0007_contact_customer_name'),
        ('organizations', '0002_fk_indexes_led_by_others'),
        ('portal', '0002_fk_indexes_led_by_others'),
        ('support', '0006_fk_indexes_led_by_others'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='post',
            name='author',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='post',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        DropForeignKeyIndex(
            model_name='post',
            name='portal_author',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='portal.portaluser'),
        ),
        DropForeignKeyIndex(
            model_name='task',
            name='creator',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='taskevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='taskevent',
            name='organization',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization'),
        ),
        DropForeignKeyIndex(
            model_name='taskevent',
            name='portal_actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='portal.portaluser'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('author__isnull', False)), fields=['author'], name='post_author'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('portal_author__isnull', False)), fields=['portal_author'], name='post_portal_author'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('creator__isnull', False)), fields=['creator'], name='task_creator'),
        ),
        migrations.AddIndex(
            model_name='taskevent',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='event_actor'),
        ),
        migrations.AddIndex(
            model_name='taskevent',
            index=models.Index(condition=models.Q(('portal_actor__isnull', False)), fields=['portal_actor'], name='event_portal_actor'),
        ),
    ]
