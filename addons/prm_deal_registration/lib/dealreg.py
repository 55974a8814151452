"""Deal registration rules in plain Python (no Odoo import).

* Normalisation and similarity of customer names and addresses, the
  duplicate and conflict check (:func:`find_conflicts`).
* Validation of the portal's registration form (:func:`clean_registration`).
* The protection period (:func:`protection_end`, :func:`is_expired`).

Errors are ``PrmError`` (untranslated template + parameters); the Odoo
layer translates them (``prm_partner_portal.glue.translated``).
"""
import datetime
import difflib
import re
import unicodedata

from odoo.addons.prm_benchmark.lib.numbers import NumberError, parse_number
from odoo.addons.prm_partner_portal.lib.messages import PrmError, Term, _

#: Legal-form suffixes dropped before names are compared, longest first
#: ("GmbH & Co. KG" before "GmbH"). Written normalised (see normalise_text).
LEGAL_FORMS = (
    "gmbh co kgaa", "gmbh co kg", "gmbh co ohg", "ag co kg", "ug co kg",
    "se co kg", "ug haftungsbeschrankt", "ug haftungsbeschraenkt",
    "gmbh", "mbh", "ag", "kg", "ohg", "gbr", "ug", "ek", "e k", "kgaa", "se",
    "ev", "e v", "ltd", "inc", "co",
)
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"}
_STREET = ((r"\bstrasse\b", "str"), (r"strasse\b", "str"), (r"\bstr\b", "str"))

#: Longest text a form field accepts (a pasted page is refused, not stored).
MAX_TEXT = 256
MAX_LINES = 50
MAX_VOLUME = 1e12


class RegistrationError(PrmError):
    """The registration form cannot be accepted as posted."""


def normalise_text(text):
    """``text`` lower case, umlauts and ß spelt out, accents dropped, every
    run of punctuation or whitespace one space, stripped. '' for None."""
    text = (text or "").lower()
    text = "".join(_UMLAUTS.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return text.strip()


def normalise_name(name):
    """A company name without legal form: "Müller GmbH & Co. KG" and
    "mueller gmbh" both give "mueller"."""
    text = " %s " % normalise_text(name)
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            suffix = " %s " % form
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[:-len(suffix) + 1]
                changed = True
    return text.strip()


def normalise_street(street):
    """Street with "Straße"/"Strasse"/"Str." as one spelling."""
    text = normalise_text(street)
    for pattern, replacement in _STREET:
        text = re.sub(pattern, replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_vat(vat):
    """VAT number upper case without spaces, dots and dashes ('' if none):
    "de 123.456.789" -> "DE123456789"."""
    return re.sub(r"[^0-9A-Z]", "", (vat or "").upper())


def similarity(first, second):
    """difflib ratio (0.0-1.0) of two normalised texts; 0.0 if one is empty."""
    if not first or not second:
        return 0.0
    return difflib.SequenceMatcher(None, first, second).ratio()


def customer_key(customer):
    """The normalised comparison key of a customer dict with ``name``,
    ``street``, ``zip``, ``city``, ``vat`` (strings or None)."""
    return {
        "name": normalise_name(customer.get("name")),
        "street": normalise_street(customer.get("street")),
        "zip": normalise_text(customer.get("zip")).replace(" ", ""),
        "city": normalise_text(customer.get("city")),
        "vat": normalise_vat(customer.get("vat")),
    }


def match(customer, other, threshold):
    """Why ``other`` is the same customer as ``customer`` (both dicts as for
    :func:`customer_key`), or None.

    Returns ``(reason, score)``: reason "vat" (same VAT number, score 1.0)
    or "name_address" (name similarity >= ``threshold`` (0-1) and the same
    place: same postcode or city, and a similar street if both have one);
    score is the name similarity.
    """
    first, second = customer_key(customer), customer_key(other)
    if first["vat"] and first["vat"] == second["vat"]:
        return ("vat", 1.0)
    score = similarity(first["name"], second["name"])
    if score < threshold:
        return None
    same_place = ((first["zip"] and first["zip"] == second["zip"])
                  or (first["city"] and first["city"] == second["city"]))
    if not same_place:
        return None
    if first["street"] and second["street"] and similarity(
            first["street"], second["street"]) < threshold:
        return None
    return ("name_address", round(score, 4))


def find_conflicts(customer, candidates, threshold, now=None, window_days=None):
    """The candidates that conflict with ``customer``.

    ``candidates``: iterable of dicts with the customer keys plus ``key``
    (any hashable, e.g. ``("crm.lead", 7)``) and optionally ``date``
    (datetime.datetime, when the record was made). With ``window_days``
    and ``now``, dated candidates older than ``now - window_days`` are
    ignored (undated ones always count). Returns a list of dicts ``{key,
    reason, score}``, best match first.
    """
    since = None
    if window_days is not None and now is not None:
        since = now - datetime.timedelta(days=window_days)
    found = []
    for candidate in candidates:
        if since is not None and candidate.get("date") and candidate["date"] < since:
            continue
        result = match(customer, candidate, threshold)
        if result:
            found.append({"key": candidate["key"], "reason": result[0],
                          "score": result[1]})
    found.sort(key=lambda item: (-item["score"], str(item["key"])))
    return found


def _text(post, name, label, required=False):
    value = post.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RegistrationError(_("%(field)s is not valid."), field=Term(label))
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise RegistrationError(
            _("%(field)s is too long: at most %(max)s characters are allowed."),
            field=Term(label), max=MAX_TEXT)
    if required and not value:
        raise RegistrationError(_("Please fill in %(field)s."), field=Term(label))
    return value


#: An expected date further ahead is a typing error (outside review: 9999-12-31).
MAX_YEARS_AHEAD = 5


def clean_registration(post, product_ids, today):
    """The registration form as clean values, or RegistrationError.

    ``post``: the posted form (str values; product lines as
    ``product_id_N`` / ``quantity_N`` for N = 0..MAX_LINES-1).
    ``product_ids``: ids (int) a dealer may register. ``today``:
    datetime.date. Volume is parsed in German format ("12.500,00" ->
    12500.0 EUR). Returns a dict with ``customer_name``,
    ``customer_street``, ``customer_zip``, ``customer_city``,
    ``customer_vat``, ``expected_volume`` (float, EUR > 0),
    ``expected_date`` (date, not in the past), ``note`` and ``lines``
    (list of ``(product_id, quantity)``, at least one).
    """
    values = {
        "customer_name": _text(post, "customer_name", _("Customer"), True),
        "customer_street": _text(post, "customer_street", _("Street")),
        "customer_zip": _text(post, "customer_zip", _("Postcode"), True),
        "customer_city": _text(post, "customer_city", _("City"), True),
        "customer_vat": _text(post, "customer_vat", _("VAT number")),
        "note": _text(post, "note", _("Note")),
    }
    vat = normalise_vat(values["customer_vat"])
    if values["customer_vat"] and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", vat):
        raise RegistrationError(
            _("The VAT number must start with the country code, e.g. "
              "DE123456789."))
    values["customer_vat"] = vat
    volume_text = _text(post, "expected_volume", _("Expected volume"), True)
    try:
        volume = parse_number(volume_text)
    except NumberError as error:
        raise RegistrationError(error.template, **error.params)
    if volume is None or volume <= 0 or volume > MAX_VOLUME:
        raise RegistrationError(
            _("The expected volume must be an amount in EUR above 0, e.g. "
              "12.500,00."))
    values["expected_volume"] = volume
    date_text = _text(post, "expected_date", _("Expected date"), True)
    try:
        expected = datetime.datetime.strptime(date_text, "%Y-%m-%d").date()
    except ValueError:
        raise RegistrationError(
            _("Please enter the expected date as a date, e.g. 2027-03-31."))
    if expected < today:
        raise RegistrationError(_("The expected date lies in the past."))
    if expected > today + datetime.timedelta(days=366 * MAX_YEARS_AHEAD):
        raise RegistrationError(
            _("The expected date lies more than %(years)s years ahead."),
            years=MAX_YEARS_AHEAD)
    values["expected_date"] = expected
    lines = []
    allowed = set(product_ids)
    for index in range(MAX_LINES):
        product = _text(post, "product_id_%d" % index, _("Product"))
        quantity = _text(post, "quantity_%d" % index, _("Quantity"))
        if not product and not quantity:
            continue
        if not re.fullmatch(r"[0-9]{1,10}", product) or int(product) not in allowed:
            raise RegistrationError(_("Please choose a product from the list."))
        try:
            amount = parse_number(quantity or "1")
        except NumberError as error:
            raise RegistrationError(error.template, **error.params)
        if amount is None or amount <= 0 or amount > 1e6:
            raise RegistrationError(
                _("The quantity must be a number above 0."))
        lines.append((int(product), amount))
    if not lines:
        raise RegistrationError(_("Please add at least one product."))
    values["lines"] = lines
    return values


def protection_end(approved, days):
    """Last protected day (datetime.date): ``days`` after ``approved``
    (datetime.date or datetime.datetime)."""
    if isinstance(approved, datetime.datetime):
        approved = approved.date()
    return approved + datetime.timedelta(days=days)


def is_expired(end, today):
    """Whether protection that ran until ``end`` (date) is over ``today``."""
    return bool(end) and today > end
