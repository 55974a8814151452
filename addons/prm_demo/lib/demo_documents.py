"""Demo documents and news of head office (plain data, no ORM).

Each item names its audience by stable keys: tier codes, territory codes,
country codes (Odoo 11 ships no German states), dealer tag names; validity
as days from today.
"""

#: A dealer tag the demo gives a few dealers (dealer keys).
TAG = "Wärmepumpen-Fachbetrieb"
TAG_DEALERS = ("dealer01", "dealer04", "dealer09", "dealer14", "dealer22")


def documents():
    """Documents: dicts with name, category, file name and text, audience."""
    return [
        {"name": "Preisliste 2027", "category": "price_list",
         "file_name": "preisliste-2027.csv",
         "text": "Artikel;Preis\nWP-8;8900,00\nWP-12;11900,00\n",
         "valid": (0, 365)},
        {"name": "Premium-Konditionen 2027", "category": "price_list",
         "file_name": "premium-konditionen-2027.txt",
         "text": "Zusatzrabatt Premium-Partner: 4 %\n", "tiers": ["premium"],
         "valid": (0, 365)},
        {"name": "Messepaket Nord", "category": "marketing",
         "file_name": "messepaket-nord.txt",
         "text": "Roll-up, Prospekte, Musterausstellung\n",
         "territories": ["nord"], "valid": (0, 90)},
        {"name": "Technische Mitteilung: Kältemittel R290", "category": "bulletin",
         "file_name": "tm-2026-07-r290.txt",
         "text": "Sicherheitsabstände bei der Aufstellung im Innenraum.\n",
         "tags": [TAG], "valid": (None, None)},
        {"name": "Förderprogramm Deutschland", "category": "other",
         "file_name": "foerderung-de.txt",
         "text": "Bundesförderung für Wärmepumpen 2027.\n", "countries": ["DE"],
         "valid": (0, 180)},
        {"name": "Preisliste 2026 (abgelaufen)", "category": "price_list",
         "file_name": "preisliste-2026.csv", "text": "Artikel;Preis\n",
         "valid": (-400, -30)},
    ]


def news():
    """News: dicts with name, summary, HTML body, audience."""
    return [
        {"name": "Neue Wärmepumpen-Generation ab März",
         "summary": "Die WP-Serie 3 kommt mit höherer Effizienz.",
         "body": "<p>Ab März liefern wir die <strong>WP-Serie 3</strong>.</p>",
         "valid": (0, 120)},
        {"name": "Premium-Partnertag in Kassel",
         "summary": "Einladung für Premium-Partner.",
         "body": "<p>Wir laden alle Premium-Partner nach Kassel ein.</p>",
         "tiers": ["premium"], "valid": (0, 60)},
        {"name": "Schulungstermine Region Süd",
         "summary": "Neue Termine für Servicetechniker.",
         "body": "<p>Schulungen in Landshut und Biberach.</p>",
         "territories": ["sued"], "valid": (0, 90)},
    ]
