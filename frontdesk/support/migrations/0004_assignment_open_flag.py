"""`Task.assignees` gets its own model, `Assignment`, over the table Django made for it, and
the rows get their task's open flag, kept by triggers (support/open_flag.py), with an index
(user, open, task newest first): "assigned to me" reads from it.

The model takes the table as it is (state only); then the flag is added, written for the rows
there are, and the triggers are created. The index of migration 0003, (user, task), is replaced
by the new one, which answers the same questions.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from frontdesk.support import open_flag


def create_triggers(apps, schema_editor):
    open_flag.ensure(schema_editor.connection)  # and writes every row's flag


def drop_triggers(apps, schema_editor):
    open_flag.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0003_assignee_user_task_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Assignment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("task", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, to="support.task")),
                        ("user", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "support_task_assignees",
                        "unique_together": {("task", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="task",
                    name="assignees",
                    field=models.ManyToManyField(
                        blank=True, related_name="assigned_tasks", through="support.Assignment",
                        to=settings.AUTH_USER_MODEL, verbose_name="assignees"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="assignment",
            name="is_open",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
        migrations.RunSQL(
            # IF EXISTS: SQLite rebuilt the table to add the flag, without this index.
            "DROP INDEX IF EXISTS support_task_assignees_user_task",
            "CREATE INDEX IF NOT EXISTS support_task_assignees_user_task "
            "ON support_task_assignees (user_id, task_id)",
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["user", "is_open", "-task"],
                               name="assignment_user_open_task"),
        ),
    ]
