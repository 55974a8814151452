"""Deterministic generator of a believable dealer network (plain data only).

Used for the demo database and, at larger N, by the benchmark generator. The
same seed always gives the same network, so demo logins and figures are stable.
"""
import datetime
import random

REGIONS = [
    # code, name, manager login, manager name, areas: (code, name, cities)
    ("nord", "Nord", "tm.nord", "Jens Petersen", [
        ("nord-sh", "Schleswig-Holstein",
         [("Husum", "SH"), ("Rendsburg", "SH"), ("Heide", "SH")]),
        ("nord-ni", "Niedersachsen Nord",
         [("Cloppenburg", "NI"), ("Stade", "NI"), ("Verden", "NI")]),
    ]),
    ("sued", "Süd", "tm.sued", "Anna Huber", [
        ("sued-by", "Bayern",
         [("Landshut", "BY"), ("Straubing", "BY"), ("Kempten", "BY")]),
        ("sued-bw", "Baden-Württemberg",
         [("Biberach", "BW"), ("Ravensburg", "BW"), ("Crailsheim", "BW")]),
    ]),
    ("west", "West", "tm.west", "Markus Schulte", [
        ("west-nw", "Westfalen",
         [("Coesfeld", "NW"), ("Soest", "NW"), ("Borken", "NW")]),
        ("west-rp", "Rheinland-Pfalz",
         [("Bitburg", "RP"), ("Alzey", "RP"), ("Mayen", "RP")]),
    ]),
    ("ost", "Ost", "tm.ost", "Katrin Lehmann", [
        ("ost-sn", "Sachsen",
         [("Döbeln", "SN"), ("Torgau", "SN"), ("Pirna", "SN")]),
        ("ost-bb", "Brandenburg",
         [("Prenzlau", "BB"), ("Kyritz", "BB"), ("Luckau", "BB")]),
    ]),
]

FAMILY_NAMES = [
    "Hansen", "Meyer", "Brandt", "Wessels", "Gruber", "Huber", "Maier", "Keller",
    "Schulte", "Becker", "Krämer", "Winkler", "Lehmann", "Richter", "Neumann",
    "Vogel", "Jansen", "Hoffmann", "Baumann", "Fischer", "Zimmermann", "Lorenz",
    "Schäfer", "Engel", "Krause", "Wolf", "Albers", "Kuhn", "Seidel", "Frank",
    "Peters", "Roth", "Bauer", "Schmitt", "Hartmann", "Ludwig", "Berger",
    "Friedrich", "Voigt", "Busch", "Sommer", "Graf", "Jäger", "Otto", "Haas",
]
TRADES = [
    "Landtechnik", "Agrartechnik", "Landmaschinen", "Baumaschinen",
    "Kommunaltechnik", "Land- und Gartentechnik",
]
FIRST_NAMES = [
    "Thomas", "Sabine", "Michael", "Petra", "Stefan", "Claudia", "Andreas",
    "Monika", "Frank", "Birgit", "Jürgen", "Susanne", "Ralf", "Heike", "Uwe",
    "Anja", "Dirk", "Kerstin", "Holger", "Martina",
]
BACKOFFICE_USERS = [
    # login, name, role (group suffix)
    ("prm.manager", "Claudia Zentral", "manager"),
    ("receivables", "Rainer Forderung", "receivables"),
    ("marketing", "Mara Kampagne", "marketing"),
    ("warranty", "Gerd Garantie", "warranty"),
]
TARGET_METRICS = ("revenue", "machine_units", "service_revenue")


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(day, count):
    month_index = day.year * 12 + day.month - 1 + 3 * count
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def quarters(today, count):
    """The ``count`` finished quarters before ``today`` plus the running one."""
    current = quarter_start(today)
    result = []
    for offset in range(-count, 1):
        start = add_quarters(current, offset)
        end = add_quarters(start, 1) - datetime.timedelta(days=1)
        name = "Q%d/%d" % ((start.month - 1) // 3 + 1, start.year)
        result.append({"name": name, "date_start": start, "date_end": end,
                       "finished": end < today})
    return result


def generate(seed=2026, dealer_count=40, today=None, quarter_count=8):
    """Return the network as plain dicts (no ids, only stable keys)."""
    today = today or datetime.date.today()
    rng = random.Random(seed)
    territories, areas = [], []
    for code, name, login, manager, region_areas in REGIONS:
        territories.append({"code": code, "name": name, "parent": None,
                            "manager_login": login, "manager_name": manager})
        for area_code, area_name, cities in region_areas:
            territories.append({"code": area_code, "name": area_name,
                                "parent": code, "manager_login": login,
                                "manager_name": manager})
            areas.append((area_code, cities))
    periods = quarters(today, quarter_count)
    dealers = []
    used_names = set()
    for index in range(dealer_count):
        area_code, cities = areas[index % len(areas)]
        city, state_code = cities[(index // len(areas)) % len(cities)]
        family = FAMILY_NAMES[index % len(FAMILY_NAMES)]
        trade = TRADES[rng.randrange(len(TRADES))]
        name = "%s %s GmbH" % (trade, family)
        if name in used_names:
            name = "%s %s %s GmbH" % (trade, family, city)
        used_names.add(name)
        employees = int(min(180, max(3, rng.lognormvariate(2.9, 0.7))))
        tier = ("premium" if employees >= 45 else
                "standard" if employees >= 12 else "service")
        state = rng.choices(
            ["active", "prospect", "suspended"], [0.88, 0.07, 0.05])[0]
        number = index + 1
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        second = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        revenue_per_quarter = employees * rng.uniform(48000.0, 72000.0)
        dealer = {
            "key": ("dealer%02d" if dealer_count < 100 else "dealer%05d") % number,
            "ref": "K-%05d" % (10000 + number),
            "name": name,
            "city": city,
            "state_code": state_code,
            "territory": area_code,
            "tier": tier,
            "prm_state": state,
            "employees": employees,
            "floor_space": round(employees * rng.uniform(60, 140), -1),
            "partner_since": datetime.date(
                rng.randint(1985, 2022), rng.randint(1, 12), 1),
            "email": "info@%s.example" % _slug(name),
            "phone": "+49 %d %07d" % (rng.randint(2000, 9999), rng.randint(0, 9999999)),
            "users": [
                {"role": "director", "login": "director%02d" % number,
                 "name": "%s %s" % (first, family),
                 "mobile": "+49151%08d" % (10000000 + 2 * number)},
                {"role": "bookkeeper", "login": "bookkeeper%02d" % number,
                 "name": "%s %s" % (
                     second, FAMILY_NAMES[(index + 7) % len(FAMILY_NAMES)]),
                 "mobile": "+49151%08d" % (10000001 + 2 * number)},
            ],
            "targets": [],
            "claims": rng.randint(0, 3),
            "leads": [],
        }
        trend = rng.uniform(-0.03, 0.06)
        for q_index, period in enumerate(periods):
            seasonal = 1.0 + 0.15 * ((q_index % 4) in (1, 2))
            target_revenue = round(
                revenue_per_quarter * seasonal * (1 + trend) ** q_index, -3)
            performance = rng.uniform(0.78, 1.18)
            for metric, share in (("revenue", 1.0), ("service_revenue", 0.22)):
                target = round(target_revenue * share, -2)
                dealer["targets"].append({
                    "period": period["name"], "metric": metric, "target": target,
                    "actual": (
                        round(target * performance * rng.uniform(0.93, 1.07), -2)
                        if period["finished"] else 0.0),
                })
            units_target = max(1, int(target_revenue / 95000.0))
            dealer["targets"].append({
                "period": period["name"], "metric": "machine_units",
                "target": float(units_target),
                "actual": (float(max(0, round(units_target * performance
                                              + rng.uniform(-1, 1))))
                           if period["finished"] else 0.0),
            })
        for lead_index in range(rng.randint(1, 4)):
            days_ago = rng.randint(3, 160)
            response = rng.choice([None] + [rng.lognormvariate(2.6, 0.9)] * 5)
            dealer["leads"].append({
                "name": "%s – Anfrage %s" % (rng.choice([
                    "Mähdrescher", "Traktor 120 PS", "Teleskoplader", "Ersatzteile",
                    "Wartungsvertrag", "Kommunalmäher", "Gebrauchtmaschine"]),
                    lead_index + 1),
                "touchpoint": rng.choice(
                    ["web", "phone", "fair", "email", "chat", "social"]),
                "days_ago": days_ago,
                "response_hours": response,
                "revenue": round(rng.uniform(4000, 240000), -2),
                "won": response is not None and rng.random() < 0.35,
            })
        dealers.append(dealer)
    return {"territories": territories, "periods": periods, "dealers": dealers,
            "backoffice": BACKOFFICE_USERS}


def _slug(name):
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return "".join(ch for ch in name.lower().translate(table)
                   if ch.isalnum() or ch == "-").strip("-")
