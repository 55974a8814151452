"""Control characters are not stored in our models' texts."""
from .common import BenchmarkCase


class TestTextHygiene(BenchmarkCase):

    def test_group_name_with_control_characters_is_cleaned(self):
        """Reviewer: a group named with ``\\x01\\x0b`` broke every XML-RPC
        read of it (malformed XML)."""
        group = self.env["prm.benchmark.group"].create({
            "name": "Nord\x01\x0b Gruppe\x00", "kind": "explicit"})
        self.assertEqual(group.name, "Nord Gruppe")
        group.write({"name": "Süd\x1f\tOst"})
        self.assertEqual(group.name, "Süd Ost")
