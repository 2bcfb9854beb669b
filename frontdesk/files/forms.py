from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.files.models import Folder
from frontdesk.lib.uploads import MultipleFileField


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Files"), required=True)
    folder = forms.ModelChoiceField(label=_("Folder"), queryset=Folder.objects.none(),
                                    required=False, empty_label=_("(no folder)"))
    shared = forms.BooleanField(label=_("Share with the customer in the portal"),
                                required=False)

    def __init__(self, *args: Any, folders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        folder_field = self.fields["folder"]
        assert isinstance(folder_field, forms.ModelChoiceField)
        folder_field.queryset = folders


class FolderForm(forms.Form):
    name = forms.CharField(label=_("New folder"), max_length=120)
