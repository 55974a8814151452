"""Demo chat history of the dealer exchange (plain data, no Odoo).

One channel for the whole network and one per region; authors are demo
logins, times are days back from the install plus a local time of day.
"""
NETWORK_CHANNEL = "Händler-Austausch"
NETWORK_DESCRIPTION = ("Austausch aller Händler des Netzes mit der Zentrale: "
                       "Marktlage, Gebrauchtmaschinen, Werkstattkapazitäten.")
REGION_CHANNEL = "Händler-Austausch %s"
REGION_DESCRIPTION = "Händler der Region %s mit ihrem Gebietsleiter."
MANAGER = "prm.manager"

# (days ago, local time, author login, text); all in the past
NETWORK_HISTORY = [
    (28, "08:12", MANAGER,
     "Guten Morgen zusammen! Ab heute gibt es diesen Kanal für den direkten "
     "Austausch im Händlernetz. Fragen an die Zentrale gern auch hier – wir "
     "lesen mit."),
    (28, "09:40", "director01",
     "Danke! Dann fange ich gleich an: Wie läuft bei euch die Nachfrage nach "
     "Traktoren über 200 PS? Bei uns ist es seit Januar spürbar ruhiger."),
    (28, "10:05", "director07",
     "Bei uns ähnlich. Die Betriebe warten die Agrardiesel-Entscheidung ab. "
     "Anfragen gibt es, unterschrieben wird wenig."),
    (27, "14:22", "director12",
     "Im Süden läuft dafür Kommunaltechnik sehr gut – die Gemeinden haben "
     "ihre Haushalte durch und bestellen Winterdienstgeräte früh."),
    (27, "16:48", "tm.sued",
     "Kann ich bestätigen: In Bayern liegen wir bei Kommunaltechnik 18 % über "
     "Vorjahr."),
    (26, "07:55", "director03",
     "Frage zu Gebrauchtmaschinen: Was erzielt ihr gerade für einen "
     "6-Zylinder-Schlepper, Baujahr 2016, ca. 7.000 Stunden? Wir haben einen "
     "in Zahlung genommen und sind beim Preis unsicher."),
    (26, "08:30", "director18",
     "Wir haben im Herbst einen vergleichbaren für 68.000 € netto verkauft, "
     "gepflegt, mit Frontlader. Ohne Lader würde ich 60–62 ansetzen."),
    (26, "09:12", "director24",
     "Im Osten gehen die eher höher weg, die Großbetriebe suchen "
     "Zweitmaschinen. 65.000 ohne Lader halte ich für machbar."),
    (26, "11:03", "director03",
     "Danke euch, das hilft! Dann stellen wir ihn mit 64.900 € ein."),
    (25, "13:15", MANAGER,
     "Hinweis der Zentrale: Die Gebrauchtmaschinenbörse bekommt im nächsten "
     "Quartal eine Preisstatistik. Eure Erfahrungswerte von hier fließen gern "
     "mit ein."),
    (23, "10:20", "director09",
     "Hat jemand freie Werkstattkapazität in KW 12/13? Uns fallen zwei "
     "Monteure aus und wir haben vier Mähdrescher zur Saisonvorbereitung."),
    (23, "10:58", "director21",
     "Wir könnten ab KW 13 einen Monteur für eine Woche abstellen. Ruf mich "
     "gern an."),
    (23, "11:30", "director09", "Klasse, ich melde mich heute Nachmittag!"),
    (21, "08:05", "tm.nord",
     "Erinnerung: Die Quartalszahlen für den Betriebsvergleich können noch "
     "bis Monatsende gemeldet werden."),
    (20, "15:40", "director30",
     "Weiß jemand, ob es für die neue Abgasstufe Nachrüstsätze für die "
     "älteren Baureihen gibt? Ein Kunde fragt."),
    (20, "16:10", MANAGER,
     "Für die Baureihen ab 2014 ja, Bestellung über den Ersatzteilservice. "
     "Für ältere leider nicht – Details schicke ich dir per Mail."),
    (18, "09:25", "director05",
     "Marktlage West: Die Milchpreise ziehen an, die ersten Betriebe fragen "
     "wieder nach Futtermischwagen."),
    (18, "09:50", "director14",
     "Sehen wir auch. Die Lieferzeiten für Futtermischwagen liegen aber noch "
     "bei 14 Wochen – plant eure Bestellungen früh."),
    (16, "12:10", "director27",
     "Kurze Frage zur Garantieabwicklung: Wie lange dauert bei euch gerade "
     "die Freigabe? Wir warten seit drei Wochen."),
    (16, "13:02", MANAGER,
     "Durch die Systemumstellung haben wir einen Rückstau – bis Ende nächster "
     "Woche ist alles abgearbeitet. Entschuldigt die Wartezeit!"),
    (14, "08:45", "director33",
     "Gebrauchtpreise Teleskoplader: Wir sehen gerade rund 10 % Preisverfall, "
     "weil viele Mietrückläufer auf den Markt kommen. Geht es euch auch so?"),
    (14, "10:15", "director16",
     "Ja, bei dreijährigen Maschinen deutlich. Wir nehmen Teleskoplader nur "
     "noch nach Prüfung durch unsere Werkstatt herein."),
    (13, "14:30", "tm.west",
     "Im Westen veranstalten wir nächsten Monat einen Werkstatttag zur "
     "Hydraulikdiagnose. Gäste aus anderen Regionen sind willkommen."),
    (13, "15:05", "director11", "Wir kommen gern mit zwei Leuten!"),
    (11, "09:00", "director38",
     "Hat jemand Erfahrung mit Finanzierungsaktionen unter 1 %? Lohnt sich "
     "das oder frisst es die Marge?"),
    (11, "09:47", "director02",
     "Bei großen Maschinen lohnt es sich, die Abschlussquote steigt. Bei "
     "Kleintraktoren rechnet es sich für uns nicht."),
    (9, "11:20", "director20",
     "Servicekapazität: Wir haben ab sofort wieder Termine für "
     "Klimaanlagen-Checks frei, falls jemand Kunden weiterleiten möchte."),
    (7, "16:35", "tm.ost",
     "Hinweis für den Osten: Der Förderaufruf für präzise Ausbringtechnik "
     "ist veröffentlicht, Anträge bis Quartalsende."),
    (4, "08:15", "director07",
     "Die Vorführtermine für die Frühjahrssaison sind bei uns ausgebucht – "
     "die Stimmung dreht sich langsam."),
    (3, "10:40", "director39",
     "Bei uns auch. Hat jemand einen Vorführ-Grubber mit 4 m Arbeitsbreite, "
     "den er uns zwei Wochen leihen kann?"),
    (2, "13:05", "director19", "Wir hätten einen ab Montag, melde dich!"),
    (1, "07:50", MANAGER,
     "Danke für den regen Austausch! Die Zusammenfassung der Marktlage geht "
     "nächste Woche an alle."),
]
# Members have read the network channel up to (excluding) the last few.
NETWORK_UNREAD_TAIL = 3

# Region channels: "tm" is the region's manager, 0/1/2 its first directors.
REGION_HISTORY = [
    (21, "09:10", "tm",
     "Hallo zusammen, das ist unser Kanal für die Region %(region)s. Termine "
     "und Themen aus der Region gern hier."),
    (17, "11:45", 0, "Gibt es schon einen Termin für das nächste Regionaltreffen?"),
    (17, "12:20", "tm",
     "Geplant ist der erste Dienstag im nächsten Monat, die Einladung folgt. "
     "Themen gern vorab hier sammeln."),
    (10, "08:30", 1,
     "Themenvorschlag: gemeinsamer Einkauf von Werkstattausrüstung und ein "
     "Abgleich der Ersatzteillager in der Region."),
    (5, "17:05", 2,
     "Dafür wäre ich auch – wir haben einige Langsamdreher im Lager, die "
     "vielleicht jemand von euch braucht."),
]
REGION_UNREAD_TAIL = 1


def region_of(network):
    """Area or region code -> region (root territory) spec."""
    specs = {spec["code"]: spec for spec in network["territories"]}
    result = {}
    for code, spec in specs.items():
        root = spec
        while root["parent"]:
            root = specs[root["parent"]]
        result[code] = root
    return result


def channels(network):
    """The demo exchange channels with members and messages (logins only)."""
    regions = region_of(network)
    directors = {}  # region code -> director logins in dealer order
    for dealer in network["dealers"]:
        if dealer["prm_state"] != "active":
            # only dealers taking part in the programme are members (the
            # exchange refuses others; their history messages stay)
            continue
        region = regions[dealer["territory"]]["code"]
        directors.setdefault(region, []).extend(
            user["login"] for user in dealer["users"] if user["role"] == "director")
    managers = sorted({spec["manager_login"] for spec in network["territories"]})
    everyone = [login for region in sorted(directors) for login in directors[region]]
    result = [{
        "name": NETWORK_CHANNEL, "description": NETWORK_DESCRIPTION,
        "region": None, "members": everyone + [MANAGER] + managers,
        "messages": [{"days_ago": days, "time": time, "login": login, "text": text}
                     for days, time, login, text in NETWORK_HISTORY],
        "unread_tail": NETWORK_UNREAD_TAIL,
    }]
    for spec in network["territories"]:
        if spec["parent"]:
            continue
        region_directors = directors.get(spec["code"], [])
        messages = []
        for days, time, author, text in REGION_HISTORY:
            if author == "tm":
                login = spec["manager_login"]
            elif author < len(region_directors):
                login = region_directors[author]
            else:
                continue
            messages.append({"days_ago": days, "time": time, "login": login,
                             "text": text % {"region": spec["name"]}})
        result.append({
            "name": REGION_CHANNEL % spec["name"],
            "description": REGION_DESCRIPTION % spec["name"],
            "region": spec["code"],
            "members": region_directors + [spec["manager_login"], MANAGER],
            "messages": messages,
            "unread_tail": REGION_UNREAD_TAIL,
        })
    return result
