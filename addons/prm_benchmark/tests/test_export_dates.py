"""Dates written into the XLSX exports are the user's (issue 17/8)."""
import datetime

from .common import BenchmarkCase


class TestExportDates(BenchmarkCase):

    def export(self, lang="de_DE", tz="Europe/Berlin"):
        return self.env["prm.benchmark.export"].with_context(lang=lang, tz=tz)

    def test_submission_date_is_the_users_calendar_day(self):
        """Submitted at 00:30 in Berlin: that day, not the previous UTC day."""
        # (the completeness rows are read on a cursor of their own, which
        # cannot see this test's uncommitted entries: the conversion is
        # tested on the helper they call)
        export = self.export()
        for utc, day in (("2026-11-29 23:10:00", datetime.date(2026, 11, 30)),
                         ("2026-10-24 22:30:00", datetime.date(2026, 10, 25)),
                         ("2026-03-28 23:30:00", datetime.date(2026, 3, 29)),
                         ("2026-03-29 21:59:00", datetime.date(2026, 3, 29)),
                         ("2026-03-29 22:00:00", datetime.date(2026, 3, 30))):
            self.assertEqual(export._user_date(utc), day, utc)
        self.assertEqual(self.export(tz="America/New_York")._user_date(
            "2026-11-29 03:00:00"), datetime.date(2026, 11, 28))

    def test_generated_on_is_in_the_users_language(self):
        today = datetime.date.today()
        german = self.export()._today_text()
        english = self.export(lang="en_US")._today_text()
        # the user's day may differ from the server's by one around midnight
        days = [today + datetime.timedelta(days=offset) for offset in (-1, 0, 1)]
        self.assertIn(german, [day.strftime("%d.%m.%Y") for day in days])
        self.assertIn(english, [day.strftime("%m/%d/%Y") for day in days])
