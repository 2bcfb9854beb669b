from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk.knowledge.models import Category
from frontdesk.organizations.models import Organization


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("New category"), max_length=120)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=200)
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}),
                           max_length=20_000)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      required=False, empty_label=_("(none)"))
    is_published = forms.BooleanField(label=_("Published in the portal"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.for_org(organization))
