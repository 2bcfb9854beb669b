"""An index on (user, task) of the task–assignee table, for "Assigned to me": the view reads the
ids of a person's tasks from it alone (a covering index), newest first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("support", "0002_task_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX support_task_assignees_user_task "
            "ON support_task_assignees (user_id, task_id)",
            "DROP INDEX support_task_assignees_user_task",
        ),
    ]
