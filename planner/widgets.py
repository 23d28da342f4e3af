"""Fixes to govuk-frontend-wtf widgets and WTForms fields for input a browser would not send
but a person can."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DecimalField, HiddenField
from wtforms.validators import InputRequired, Regexp


class DateInput(GovDateInput):
    """GovDateInput expects exactly day, month and year; a request with fewer parts (or none)
    made it raise. Pad the raw data so the form re-renders with its error instead."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)


class FiniteDecimalField(DecimalField):
    """A DecimalField that accepts only finite numbers. Decimal reads "NaN", "sNaN" and
    "Infinity" as numbers, and comparing a signalling NaN with a range raises, so such text
    gave a server error instead of a message on the field."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("Enter a number, like 2 or 2.5")


STALE_CHECK_MESSAGE = (
    "This form was sent without the version it was opened at, so it cannot be checked "
    "against changes made since. Reload the page and make your change again."
)


def revision_field() -> HiddenField:
    """The hidden version a form was opened at (optimistic locking). Required: a save that
    leaves it out would otherwise overwrite whatever changed since, unseen."""
    return HiddenField(
        validators=[
            InputRequired(STALE_CHECK_MESSAGE),
            Regexp(r"^[0-9]{1,10}$", message=STALE_CHECK_MESSAGE),
        ]
    )
