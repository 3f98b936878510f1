"""Dates are typed and shown as dd/mm/yyyy in Vietnamese (Django's vi locale has no input formats)."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation


@pytest.mark.parametrize(("typed", "expected"), [("05/06/2025", date(2025, 6, 5)), ("25/06/2025", date(2025, 6, 25))])
def test_date_field_reads_day_first(typed, expected):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == expected


def test_date_field_still_accepts_iso_dates():
    with translation.override("vi"):
        assert forms.DateField().clean("2025-06-05") == date(2025, 6, 5)


def test_date_shows_as_day_month_year():
    with translation.override("vi"):
        rendered = Template("{{ day|date }} {{ day }}").render(Context({"day": date(2025, 6, 5)}))
        assert rendered == "05/06/2025 05/06/2025"
        assert formats.localize(date(2025, 6, 5)) == "05/06/2025"


def test_date_input_shows_day_month_year():
    with translation.override("vi"):
        assert 'value="05/06/2025"' in forms.DateField().widget.render("day", date(2025, 6, 5))
