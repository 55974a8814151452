"""The demo loaders have no public method: XML-RPC reaches none of them."""
from odoo.tests.common import TransactionCase


class TestDemoLoaders(TransactionCase):

    def test_no_public_method_on_the_loaders(self):
        """Public methods of a model are callable over XML-RPC by any user
        who signs in; a public loader would create a second network (or half
        of one) for whoever calls it."""
        for model in ("prm.demo.loader", "prm.benchmark.demo.loader",
                      "prm.programme.demo.loader"):
            cls = type(self.env[model])
            own = {name for klass in cls.__mro__
                   if getattr(klass, "__module__", "").startswith(
                       "odoo.addons.prm_demo.")
                   for name in vars(klass)}
            public = sorted(name for name in own if not name.startswith("_"))
            self.assertEqual(public, [], model)
            self.assertTrue(any(name.startswith("_load_demo") for name in own))
