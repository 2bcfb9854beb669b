from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "frontdesk.files"
    label = "files"
