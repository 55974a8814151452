"""The deal registration rules without the ORM (lib/dealreg.py)."""
import datetime

import pytest

from odoo.addons.prm_deal_registration.lib import dealreg

TODAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize("name, expected", [
    ("Müller GmbH", "mueller"),
    ("MUELLER GmbH & Co. KG", "mueller"),
    ("  Müller   gmbh & co kg ", "mueller"),
    ("Weiß Landtechnik AG", "weiss landtechnik"),
    ("Straßenbau Groß e.K.", "strassenbau gross"),
    ("GmbH", "gmbh"),  # a name that is only a legal form stays
])
def test_normalise_name(name, expected):
    assert dealreg.normalise_name(name) == expected


def test_normalise_street_and_vat():
    assert dealreg.normalise_street("Hauptstraße 5") == \
        dealreg.normalise_street("Hauptstr. 5") == "hauptstr 5"
    assert dealreg.normalise_vat("de 123.456-789") == "DE123456789"
    assert dealreg.normalise_vat(None) == ""


CUSTOMER = {"name": "Müller Agrar GmbH", "street": "Hauptstraße 5",
            "zip": "24103", "city": "Kiel", "vat": "DE123456789"}


def test_same_vat_is_a_conflict_whatever_the_name():
    assert dealreg.match(CUSTOMER, {"name": "Something else", "vat":
                                    "de 123 456 789"}, 0.85) == ("vat", 1.0)


def test_similar_name_at_the_same_place_is_a_conflict():
    other = {"name": "Mueller Agrar GmbH & Co. KG", "street": "Hauptstr. 5",
             "zip": "24103", "city": "Kiel"}
    reason, score = dealreg.match(CUSTOMER, other, 0.85)
    assert reason == "name_address" and score == 1.0


@pytest.mark.parametrize("other", [
    # same name elsewhere
    {"name": "Müller Agrar GmbH", "zip": "80331", "city": "München"},
    # another company at the same place
    {"name": "Schmidt Baumaschinen", "zip": "24103", "city": "Kiel"},
    # same name and place, other street
    {"name": "Müller Agrar", "street": "Am Hafen 99", "zip": "24103",
     "city": "Kiel"},
])
def test_no_conflict(other):
    assert dealreg.match(CUSTOMER, other, 0.85) is None


def test_threshold_decides():
    other = {"name": "Müler Agrar", "zip": "24103", "city": "Kiel"}
    assert dealreg.match(CUSTOMER, other, 0.85)
    assert dealreg.match(CUSTOMER, other, 0.99) is None


def test_find_conflicts_window_and_order():
    now = datetime.datetime(2026, 11, 30, 12, 0)
    candidates = [
        dict(CUSTOMER, key=("crm.lead", 1), vat="",
             date=now - datetime.timedelta(days=400)),
        dict(CUSTOMER, key=("crm.lead", 2), name="Müller Agrarr", vat="",
             date=now - datetime.timedelta(days=10)),
        dict(CUSTOMER, key=("res.partner", 3), date=None),
        {"key": ("res.partner", 4), "name": "Other", "zip": "1", "city": "X"},
    ]
    found = dealreg.find_conflicts(CUSTOMER, candidates, 0.85, now=now,
                                   window_days=365)
    assert [item["key"] for item in found] == [("res.partner", 3), ("crm.lead", 2)]
    assert found[0]["reason"] == "vat"
    # without a window the old lead counts too
    assert len(dealreg.find_conflicts(CUSTOMER, candidates, 0.85)) == 3


def form(**changes):
    post = {"customer_name": "Müller Agrar GmbH", "customer_street": "Hauptstr. 5",
            "customer_zip": "24103", "customer_city": "Kiel",
            "customer_vat": "de 123456789", "expected_volume": "12.500,00",
            "expected_date": "2027-03-31", "product_id_0": "7",
            "quantity_0": "2"}
    post.update(changes)
    return post


def test_clean_registration_parses_german_numbers():
    values = dealreg.clean_registration(form(), [7, 8], TODAY)
    assert values["expected_volume"] == 12500.0
    assert values["customer_vat"] == "DE123456789"
    assert values["expected_date"] == datetime.date(2027, 3, 31)
    assert values["lines"] == [(7, 2.0)]
    values = dealreg.clean_registration(
        form(expected_volume="1.234.567,89", quantity_0="1,5"), [7], TODAY)
    assert values["expected_volume"] == 1234567.89
    assert values["lines"] == [(7, 1.5)]


@pytest.mark.parametrize("changes, message", [
    ({"expected_volume": "12,500.00"}, "Digit grouping"),
    ({"expected_volume": "zwölf"}, "Please enter a number"),
    ({"expected_volume": "0"}, "above 0"),
    ({"expected_volume": "-5"}, "above 0"),
    ({"expected_volume": ""}, "Please fill in"),
    ({"customer_name": "  "}, "Please fill in"),
    ({"customer_name": "x" * 300}, "too long"),
    ({"customer_name": ["a", "b"]}, "not valid"),
    ({"customer_vat": "123"}, "country code"),
    ({"expected_date": "31.03.2027"}, "as a date"),
    ({"expected_date": "2020-01-01"}, "past"),
    ({"product_id_0": "9"}, "from the list"),
    ({"product_id_0": "-1"}, "from the list"),
    ({"product_id_0": "", "quantity_0": ""}, "at least one product"),
    ({"quantity_0": "0"}, "above 0"),
])
def test_clean_registration_refuses(changes, message):
    with pytest.raises(dealreg.RegistrationError) as error:
        dealreg.clean_registration(form(**changes), [7, 8], TODAY)
    assert message in str(error.value)


def test_protection():
    end = dealreg.protection_end(datetime.datetime(2026, 11, 30, 9, 0), 90)
    assert end == datetime.date(2027, 2, 28)
    assert not dealreg.is_expired(end, end)
    assert dealreg.is_expired(end, end + datetime.timedelta(days=1))
    assert not dealreg.is_expired(False, TODAY)
