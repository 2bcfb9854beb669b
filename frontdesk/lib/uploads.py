"""Several files in one form field, each checked for size and emptiness."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files; every one must be non-empty and within the size limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Files"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        limit = settings.FRONTDESK_MAX_FILES_PER_POST
        if len(files) > limit:
            raise forms.ValidationError(
                ngettext("Attach at most %(limit)s file at once.",
                         "Attach at most %(limit)s files at once.", limit) % {"limit": limit})
        max_bytes = settings.FRONTDESK_MAX_UPLOAD_MB * 1024 * 1024
        errors = []
        for upload in files:
            name = upload.name or "?"
            if not upload.size:
                errors.append(_("“%(name)s” is empty.") % {"name": name})
            elif upload.size > max_bytes:
                errors.append(_("“%(name)s” is larger than %(limit)s MB.")
                              % {"name": name, "limit": settings.FRONTDESK_MAX_UPLOAD_MB})
        if errors:
            raise forms.ValidationError(errors)
        return files
