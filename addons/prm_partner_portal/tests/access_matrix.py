"""Role × model access matrix through the ORM, shared by the addons' tests.

Each addon's ``test_access_matrix.py`` declares its models (``Probe``) and one
expected table; ``AccessMatrixCase.assert_matrix`` runs every role × model ×
operation as the demo user of that role and fails with the differing cells.

A cell has four letters for read, write, create and unlink (``rwcu``):

* upper case (``R``): allowed on the own dealer's record *and* on a foreign
  one — for models without a dealer (configuration) simply "allowed";
* lower case (``r``): allowed on the own dealer's record only;
* ``-``: refused (AccessError) for both;
* ``?``: allowed on the foreign record but not on the own one (always wrong);
* ``!``: the operation failed with something else than an access error
  (the probe is broken; the error is printed).

"Own dealer" is the company of ``director01`` (region Nord, managed by
``tm.nord``); the foreign dealer is one outside every territory of
``tm.nord``. For transient wizards "own" means created by the user.
"""
import contextlib
import itertools
import unittest

from psycopg2 import sql

from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import SavepointCase

#: Role column -> login of the demo user representing it. The demo has no
#: internal user without a PRM role: "user" is created with base.group_user
#: only; "public" is the website's public user (``base.public_user``).
ROLES = (
    ("manager", "prm.manager"),
    ("tm", "tm.nord"),
    ("recv", "receivables"),
    ("mkt", "marketing"),
    ("warr", "warranty"),
    ("user", None),
    ("dir", "director01"),
    ("book", "bookkeeper01"),
    ("public", None),
)
OPERATIONS = ("read", "write", "create", "unlink")
_savepoints = itertools.count()


class Probe:
    """How to exercise one model.

    ``values(case, dealer)`` returns create values for a record of ``dealer``
    (``None`` for models without a dealer); it may create prerequisites as
    superuser. ``write`` holds harmless values to write, ``field`` is read.
    """

    def __init__(self, model, values, write, field="display_name", scoped=True):
        self.model = model
        self.values = values
        self.write = write
        self.field = field
        self.scoped = scoped


def parse_table(text):
    """``{(model, role): cell}`` from the expected table (first line: roles)."""
    lines = [line.split() for line in text.strip().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    roles = lines[0][1:]
    table = {}
    for row in lines[1:]:
        assert len(row) == len(roles) + 1, "bad row in expected table: %s" % row
        for role, cell in zip(roles, row[1:]):
            table[(row[0], role)] = cell
    return table


def format_table(table, models, roles):
    width = max(len(model) for model in models) + 2
    lines = ["".ljust(width) + " ".join(role.ljust(7) for role in roles)]
    for model in models:
        lines.append(model.ljust(width) + " ".join(
            table.get((model, role), "").ljust(7) for role in roles))
    return "\n".join(line.rstrip() for line in lines)


def diff_tables(expected, actual):
    """Human-readable differences, one line per cell."""
    return ["%-32s %-8s expected %s, got %s" % (model, role, expected.get(
        (model, role)), actual.get((model, role)))
        for model, role in sorted(set(expected) | set(actual))
        if expected.get((model, role)) != actual.get((model, role))]


def letter(op, own, foreign):
    char = op[0]
    if own and foreign:
        return char.upper()
    if own:
        return char
    return "?" if foreign else "-"


class AccessMatrixCase(SavepointCase):
    """Demo users of every role, the own and a foreign dealer.

    The roles are the users of the ``prm_demo`` addon: without it (Odoo's
    runner installing the product addons, which test before ``prm_demo`` is
    loaded) the matrix is skipped; ``make test`` has it, and
    ``tests/test_demo_addon.py`` fails if the test database lacks it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.users"].with_context(active_test=False).search_count(
                [("login", "=", "director01")]):
            super().tearDownClass()
            raise unittest.SkipTest("the role matrix needs the prm_demo users")
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nosubscribe=True,
                                       no_reset_password=True))
        Users = cls.env["res.users"].with_context(active_test=False)
        cls.users = {}
        for role, login in ROLES:
            if role == "user":
                user = Users.create({
                    "name": "Matrix employee", "login": "matrix.employee",
                    "email": "matrix.employee@example.com",
                    "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])]})
            elif role == "public":
                user = cls.env.ref("base.public_user")
            else:
                user = Users.search([("login", "=", login)])
            assert user, "demo user %s is missing (demo data?)" % login
            cls.users[role] = user
        cls.director = cls.users["dir"]
        cls.own_dealer = cls.director.commercial_partner_id
        territories = cls.users["tm"].prm_managed_territory_ids
        Partner = cls.env["res.partner"]
        assert Partner.search_count([("id", "=", cls.own_dealer.id), (
            "prm_territory_id", "child_of", territories.ids)]), \
            "director01's company must lie in a territory of tm.nord"
        region = cls.env["prm.territory"].search(
            [("id", "child_of", territories.ids)])
        foreign_director = Users.search([
            ("share", "=", True),
            ("groups_id", "in", cls.env.ref(
                "prm_partner_portal.group_prm_portal_director").id),
            ("partner_id.commercial_partner_id.prm_territory_id", "not in",
             region.ids)], limit=1, order="login")
        assert foreign_director, "no director outside tm.nord's region"
        cls.foreign_director = foreign_director
        cls.foreign_dealer = foreign_director.commercial_partner_id

    def director_of(self, dealer):
        return self.director if dealer == self.own_dealer else \
            self.foreign_director

    # --- running one operation ------------------------------------------------
    @contextlib.contextmanager
    def rolled_back(self):
        """Run a block and undo everything it did in the database and caches."""
        name = sql.Identifier("access_matrix_%d" % next(_savepoints))
        self.env.cr.execute(sql.SQL("SAVEPOINT {}").format(name))
        try:
            yield
        finally:
            self.env.cr.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(name))
            self.env.clear()

    def attempt(self, function):
        """True if allowed, False if refused by access control, else the error."""
        try:
            function()
        except AccessError:
            return False
        except ValidationError as error:
            # a constraint reading the record as the user (core crm's team
            # check) turns the access error into this one: still a refusal
            if isinstance(error.__context__, AccessError):
                return False
            return "ValidationError: %s" % (error,)
        except Exception as error:  # noqa: B902 (reported as a broken probe)
            return "%s: %s" % (type(error).__name__, error)
        return True

    def fixture(self, probe, dealer, user):
        """A record of ``dealer`` (transient: created by ``user`` if own)."""
        model = self.env[probe.model]
        if model.is_transient() and dealer == self.own_dealer:
            model = model.sudo(user)
        return model.create(probe.values(self, dealer))

    def run_operation(self, probe, op, user, dealer):
        with self.rolled_back():
            if op == "create":
                values = probe.values(self, dealer)
                Model = self.env[probe.model].sudo(user)

                def function():
                    Model.check_access_rights("create")
                    Model.create(values)
            else:
                record = self.fixture(probe, dealer, user).sudo(user)

                def function():
                    record.check_access_rights(op)
                    record.check_access_rule(op)
                    if op == "read":
                        record.read([probe.field])
                    elif op == "write":
                        record.write(dict(probe.write))
                    else:
                        record.unlink()
            return self.attempt(function)

    def probe_cell(self, probe, user, errors):
        cell = ""
        for op in OPERATIONS:
            dealers = (self.own_dealer, self.foreign_dealer) if (
                probe.scoped or self.env[probe.model].is_transient()) else (None,)
            results = [self.run_operation(probe, op, user, dealer)
                       for dealer in dealers]
            broken = [result for result in results if isinstance(result, str)]
            if broken:
                errors.append("%s %s as %s: %s" % (
                    probe.model, op, user.login, broken[0]))
                cell += "!"
            else:
                cell += letter(op, results[0], results[-1])
        return cell

    def assert_matrix(self, probes, expected_text):
        expected = parse_table(expected_text)
        roles = [role for role in self.users if any(
            key[1] == role for key in expected)]
        actual, errors = {}, []
        for probe in probes:
            for role in roles:
                actual[(probe.model, role)] = self.probe_cell(
                    probe, self.users[role], errors)
        differences = diff_tables(expected, actual)
        if differences or errors:
            self.fail("access matrix differs:\n%s\n\nactual table:\n%s%s" % (
                "\n".join(differences),
                format_table(actual, [p.model for p in probes], roles),
                "\n\nbroken probes:\n" + "\n".join(errors) if errors else ""))

    # --- actions (buttons) ---------------------------------------------------
    def roles_allowed(self, record_factory, method, roles=None):
        """Roles whose call of ``method`` passes the access checks.

        ``record_factory(user)`` returns the record to call it on (created as
        superuser, or as ``user`` for wizards). Other errors (a wrong file, a
        wrong state) come after the role check and count as passed.
        """
        allowed = set()
        for role in roles or self.users:
            user = self.users[role]
            with self.rolled_back():
                record = record_factory(user).sudo(user)
                try:
                    getattr(record, method)()
                except AccessError:
                    continue
                except ValidationError as error:
                    if isinstance(error.__context__, AccessError):
                        continue
                except Exception:  # noqa: B902 (refusals come as AccessError)
                    pass
                allowed.add(role)
        return allowed
