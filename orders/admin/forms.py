"""The forms of the agent's order page. They check shape only and build the services' input;
every rule lives in ``orders.services`` and ``orders.checks``."""

from dataclasses import dataclass, field

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.addresses import Address, AddressKind, InvalidPhoneNumber, phone_display, phone_normalise
from orders.admin.conflicts import ChangedMeanwhile, SeenValuesMixin, form_refresh, formset_refresh
from orders.models import Courier, Order, OrderLine
from orders.services.edits import LineChange, OrderChanges
from orders.text import ACKNOWLEDGE_NOTE, BUYER_NOTE, CONTROL_CHARACTERS, REASON, SELLER_MEMO

no_control_characters = RegexValidator(
    CONTROL_CHARACTERS, inverse_match=True, message=_("Control characters are not allowed.")
)


def text_field(max_length: int, *, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=required, validators=[no_control_characters], **kwargs)


class VersionForm(forms.Form):
    """Every write carries the order's version the agent saw: somebody else's change in between is refused."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    reason = text_field(REASON.limit, required=True, label=_("reason"))


class HoldForm(ReasonForm):
    """A hold, optionally until a date: beat brings the order back that morning (the service checks the date)."""

    until = forms.DateField(required=False, label=_("until"))


class AcknowledgeForm(VersionForm):
    code = forms.CharField(max_length=48, widget=forms.HiddenInput)
    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    note = text_field(ACKNOWLEDGE_NOTE.limit, required=True, label=_("note"))


class AddressForm(SeenValuesMixin, VersionForm):
    recipient = text_field(100, label=_("recipient"))
    phone = text_field(32, label=_("phone"))
    province = text_field(50, label=_("province"))
    city = text_field(50, label=_("city"))
    district = text_field(50, label=_("district"))
    street = text_field(255, label=_("street"))
    postcode = forms.RegexField(
        r"^\d{6}$",
        required=False,
        label=_("postcode"),
        error_messages={"invalid": _("A postcode has six digits, e.g. 012400.")},
    )
    kind = forms.ChoiceField(choices=[("", "—"), *AddressKind.choices], required=False, label=_("kind"))

    @classmethod
    def initial_for(cls, order: Order) -> dict:
        address = order.shipping_address.as_dict()
        address["phone"] = phone_display(address["phone"])
        return {"version": order.version, **address}

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        if not raw:
            return ""
        try:
            return phone_normalise(raw)
        except InvalidPhoneNumber:
            raise forms.ValidationError(_("“%(value)s” is not a phone number."), params={"value": raw}) from None

    def changes(self) -> OrderChanges:
        return OrderChanges(address={name: self.cleaned_data[name] for name in Address.field_names()})


class LineForm(SeenValuesMixin, forms.Form):
    line_id = forms.IntegerField(widget=forms.HiddenInput)
    sku = text_field(64, required=True, label=_("SKU"))
    size = text_field(30, label=_("size"))
    colour = text_field(30, label=_("colour"))
    quantity = forms.IntegerField(min_value=1, max_value=9999, label=_("quantity"))

    def change(self) -> LineChange | None:
        """Only the fields the agent changed: a new SKU alone takes its variant's size and colour."""
        changed = {name: self.cleaned_data[name] for name in self.changed_data if name != "line_id"}
        if not changed:
            return None
        return LineChange(line_id=self.cleaned_data["line_id"], **changed)


LineFormSet = forms.formset_factory(LineForm, extra=0)


def line_formset(lines: list[OrderLine], data=None) -> forms.BaseFormSet:
    initial = [
        {"line_id": line.pk, "sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
        for line in lines
    ]
    return LineFormSet(data=data, initial=initial, prefix="lines")


def lines_changes(formset: forms.BaseFormSet) -> OrderChanges:
    return OrderChanges(lines=tuple(change for form in formset if (change := form.change()) is not None))


class RequestsForm(SeenValuesMixin, VersionForm):
    courier = forms.ChoiceField(required=False, label=_("courier"))
    gift_wrap = forms.BooleanField(required=False, label=_("gift wrap"))
    engraving = text_field(200, label=_("engraving text"))
    card_message = text_field(500, label=_("card message"), widget=forms.Textarea(attrs={"rows": 2}))
    buyer_note = text_field(BUYER_NOTE.limit, label=_("buyer note"), widget=forms.Textarea(attrs={"rows": 3}))
    seller_memo = text_field(SELLER_MEMO.limit, label=_("seller memo"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, current_courier: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The shop's couriers, and the one the buyer asked for even when the shop no longer uses it.
        couriers = Courier.objects.filter(Q(in_use=True) | Q(code=current_courier)).order_by("code")
        self.fields["courier"].choices = [("", _("none"))] + [(c.code, f"{c.code} — {c.name}") for c in couriers]

    @classmethod
    def initial_for(cls, order: Order) -> dict:
        return {
            "version": order.version,
            "courier": order.requested_courier,
            "gift_wrap": order.gift_wrap,
            "engraving": order.engraving_text,
            "card_message": order.card_message,
            "buyer_note": order.buyer_note,
            "seller_memo": order.seller_memo,
        }

    def changes(self) -> OrderChanges:
        data = self.cleaned_data
        return OrderChanges(
            requests={name: data[name] for name in ("courier", "gift_wrap", "engraving", "card_message")},
            buyer_note=data["buyer_note"],
            seller_memo=data["seller_memo"],
        )


@dataclass(frozen=True)
class EditForms:
    """The forms of one edit page of the order (address, lines or requests), bound to a post or not."""

    part: str
    form: forms.BaseForm | None = None
    version_form: VersionForm | None = None
    formset: forms.BaseFormSet | None = None
    lines: list[OrderLine] = field(default_factory=list)

    @classmethod
    def build(cls, part: str, order: Order, data=None) -> "EditForms":
        if part == "lines":
            lines = list(order.lines.order_by("position", "id"))
            version_form = VersionForm(data, initial={"version": order.version})
            return cls(part, version_form=version_form, formset=line_formset(lines, data), lines=lines)
        if part == "address":
            return cls(part, form=AddressForm(data, initial=AddressForm.initial_for(order)))
        initial = RequestsForm.initial_for(order)
        return cls(part, form=RequestsForm(data, initial=initial, current_courier=order.requested_courier))

    @property
    def is_bound(self) -> bool:
        return (self.form or self.version_form).is_bound

    def is_valid(self) -> bool:
        # Every form is validated, so that each shows its errors.
        valid = [f.is_valid() for f in (self.version_form, self.form, self.formset) if f is not None]
        return all(valid)

    def changes(self) -> OrderChanges:
        return lines_changes(self.formset) if self.formset is not None else self.form.changes()

    def version(self) -> int:
        return (self.version_form or self.form).cleaned_data["version"]

    def refreshed(self, order: Order) -> tuple["EditForms", list[ChangedMeanwhile]]:
        """The same forms on the order as it is now, with the agent's changes kept, and what somebody
        else changed since the agent opened them."""
        now = EditForms.build(self.part, order)
        if self.formset is not None:
            labels = [f"#{line.position}" for line in now.lines]
            data, changed = formset_refresh(self.formset, now.formset, "line_id", labels)
            data.update(form_refresh(None, now.version_form)[0])
        else:
            data, changed = form_refresh(self.form, now.form)
        return EditForms.build(self.part, order, data), changed
