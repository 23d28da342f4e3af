"""Fixes to govuk-frontend-wtf widgets for input a browser would not send but a person can."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput


class DateInput(GovDateInput):
    """GovDateInput expects exactly day, month and year; a request with fewer parts (or none)
    made it raise. Pad the raw data so the form re-renders with its error instead."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)
