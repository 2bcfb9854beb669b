"""Forms of billing. They check the shape of the input; the actions (services.py) check the
rest, and their errors are shown next to the fields (customers.forms.show_action_errors)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from frontdesk.billing.documents import MAX_LINES, DocumentData, LineData
from frontdesk.billing.services import MANUAL_KINDS
from frontdesk.customers.models import Contact, Customer
from frontdesk.lib.money import currency_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def amount_field(label: StrOrPromise, **options: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, **options)


class CurrencyField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Currency"), choices=currency_choices, **kwargs)


class DocumentForm(forms.Form):
    """The head of a quote or an invoice; its lines are `LineFormSet`."""

    title = forms.CharField(label=_("Title"), max_length=200)
    currency = CurrencyField()
    tax_rate = forms.DecimalField(label=_("Tax rate (%)"), min_value=0, max_value=100,
                                  max_digits=5, decimal_places=2, initial=Decimal("0"))
    note = forms.CharField(label=_("Note to the customer"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def data_with(self, lines: list[LineData]) -> DocumentData:
        data = self.cleaned_data
        return DocumentData(title=data["title"], currency=data["currency"],
                            tax_rate=data["tax_rate"], note=data["note"], lines=lines)


class QuoteForm(DocumentForm):
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class InvoiceForm(DocumentForm):
    contact = forms.ModelChoiceField(label=_("For the attention of"), required=False,
                                     queryset=Contact.objects.none(),
                                     empty_label=_("(the customer)"))

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.for_org(customer.organization_id).filter(customer=customer)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2,
                                  min_value=Decimal("0.01"), initial=Decimal("1"))
    unit_price = amount_field(_("Unit price"), min_value=0)


class BaseLineFormSet(BaseFormSet[LineForm]):
    def lines(self) -> list[LineData]:
        """The lines filled in, in order (a row left blank is no line)."""
        return [LineData(form.cleaned_data["description"], form.cleaned_data["quantity"],
                         form.cleaned_data["unit_price"])
                for form in self.forms if form.has_changed() and form.cleaned_data]


# Three blank rows below the lines: more are added by saving and editing again (no script
# needed).
LineFormSet = formset_factory(LineForm, formset=BaseLineFormSet, extra=3, max_num=MAX_LINES,
                              validate_max=True, absolute_max=MAX_LINES + 3)


def line_initial(lines: list[Any]) -> list[dict[str, Any]]:
    return [{"description": line.description, "quantity": line.quantity,
             "unit_price": line.unit_price} for line in lines]


class PaymentForm(forms.Form):
    amount = amount_field(_("Amount"), min_value=Decimal("0.01"))
    booked_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)


class LedgerEntryForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("ledger entry", "Kind"),
                             choices=[(kind.value, kind.label) for kind in MANUAL_KINDS])
    amount = amount_field(_("Amount"), min_value=Decimal("0.01"))
    currency = CurrencyField()
    booked_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this invoice?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class BillingSettingsForm(forms.Form):
    currency = CurrencyField(help_text=_("The currency of new quotes and invoices."))
    quote_valid_days = forms.IntegerField(label=_("Quotes are valid for (days)"), min_value=1,
                                          max_value=3650)
    payment_days = forms.IntegerField(label=_("Invoices are due after (days)"), min_value=0,
                                      max_value=3650)

