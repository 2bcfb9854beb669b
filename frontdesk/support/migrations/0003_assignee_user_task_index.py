"""An index on (user, task) of the task–assignee table: a person's tasks read from the index
alone. "Assigned to me" now walks the open requests and probes the (task, user) index instead
(its cost follows the page); this one serves the other direction, which PostgreSQL's planner
takes for a member with few tasks, and lists of a person's tasks."""

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
