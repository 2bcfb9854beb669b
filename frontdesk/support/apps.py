from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "frontdesk.support"
    label = "support"

    def ready(self) -> None:
        from frontdesk.organizations.access import MEMBERSHIP_FIGURES
        from frontdesk.support.queries import unread_notifications_of_member

        MEMBERSHIP_FIGURES["unread_notifications"] = unread_notifications_of_member
