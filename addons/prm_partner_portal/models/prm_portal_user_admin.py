"""A managing director manages the portal users of the own company (issue 22).

The rules are plain Python in ``lib.portal_users``; here the records are
read into ``Account`` tuples, the rules are asked, and the one allowed
change is written. Users are created in one place,
``res.users._prm_create_portal_user`` (head office's wizard uses it too).
"""
import psycopg2

from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError, ValidationError

from ..glue import translated
from ..pg_serialize import serialize_on
from ..lib import portal_users as rules
from .res_users import PORTAL_CLASS_GROUPS

#: System parameter: head office's network-wide limit of active portal users
#: per dealer (a dealer's own ``prm_user_limit`` > 0 replaces it).
LIMIT_PARAM = "prm_partner_portal.portal_user_limit"
DEFAULT_LIMIT = 10
HEAD_OFFICE = "prm_partner_portal.group_prm_manager,base.group_system"
#: The user-facing refusals of the self-service (ValidationError comes from
#: the phone normaliser).
USER_ERRORS = (UserError, ValidationError)


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_user_limit = fields.Integer(
        string="Portal user limit", groups=HEAD_OFFICE,
        help="Most active portal users this dealer may have; 0 = the network "
             "default (system parameter prm_partner_portal.portal_user_limit).")
    prm_user_selfservice_locked = fields.Boolean(
        string="User self-service locked", groups=HEAD_OFFICE,
        help="The managing directors of this dealer cannot invite, deactivate "
             "or re-class users on /my/users.")
    prm_user_event_ids = fields.One2many(
        "prm.portal.user.event", "dealer_id", string="User changes",
        groups=HEAD_OFFICE, readonly=True)


class PrmPortalUserEvent(models.Model):
    """Audit of every change of a dealer's portal users: who, when, what."""

    _name = "prm.portal.user.event"
    _description = "Portal user change"
    _order = "id desc"

    dealer_id = fields.Many2one("res.partner", required=True, index=True,
                                readonly=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="User", readonly=True,
                              ondelete="set null")
    author_id = fields.Many2one("res.users", string="Changed by", readonly=True,
                                ondelete="set null")
    action = fields.Selection([
        ("invited", "Invited"),
        ("deactivated", "Deactivated"),
        ("reactivated", "Reactivated"),
        ("class_changed", "Permission class changed"),
    ], required=True, readonly=True)
    detail = fields.Char(readonly=True)
    create_date = fields.Datetime(string="When", readonly=True)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _prm_class_commands(self, portal_class):
        """``groups_id`` commands giving a portal user exactly the permission
        class ``portal_class`` ("director"/"bookkeeper")."""
        return [(4, self.env.ref("base.group_portal").id)] + [
            (4 if key == portal_class else 3, self.env.ref(xmlid).id)
            for key, xmlid in PORTAL_CLASS_GROUPS.items()]

    @api.model
    def _prm_create_portal_user(self, dealer, name, login, mobile, portal_class,
                                invite=True):
        """Create the contact and portal user of ``dealer`` (res.partner),
        queue the sign-up invitation when ``invite``; returns the user.

        The one place users are created for dealers (head office's wizard
        and the director's ``/my/users``); callers check who asks. ``login``
        is the e-mail address, lower case. Raises UserError (an address that
        is a user's login or e-mail already, any letter case; invalid
        mobile: the project's phone normaliser of ``prm_2fa_sms`` when
        installed). Creates both records or neither.
        """
        # sudo: logins are unique across companies, so the search must see
        # every user; the callers checked who asks.
        Users = self.sudo().with_context(active_test=False)
        # the address is a login or a user's e-mail already, in any letter
        # case (=ilike with LIKE's wildcards escaped: an exact match)
        exact = login.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_")
        if Users.search_count(["|", ("login", "=ilike", exact),
                               ("email", "=ilike", exact)]):
            raise UserError(translated(rules.DuplicateLogin(login), self.env))
        # sudo: a director may not create contacts through the ORM; the
        # callers checked who asks, the values are fixed below.
        Partner = self.env["res.partner"].sudo()
        if mobile and hasattr(Partner, "_prm_normalised_mobile"):
            # prm_2fa_sms' normaliser (lib/phone.py): E.164, or a translated
            # error naming the number as typed
            mobile = Partner._prm_normalised_mobile(
                mobile, dealer.country_id.id, dealer.id)
        try:
            with self.env.cr.savepoint():
                # sudo: the callers checked who asks; what is created is fixed
                # here: a contact of this dealer and its portal user with one
                # permission class.
                contact = Partner.create({
                    "name": name, "email": login, "mobile": mobile,
                    "parent_id": dealer.id, "type": "contact",
                })
                user = Users.with_context(no_reset_password=True).create({
                    "name": name, "login": login, "email": login,
                    "partner_id": contact.id,
                    "groups_id": [(6, 0, [])] + self._prm_class_commands(
                        portal_class),
                })
        except psycopg2.IntegrityError:
            # the same login created at the same moment by another request
            raise UserError(translated(rules.DuplicateLogin(login), self.env))
        if invite:
            user._prm_queue_invitation()
        return user.with_env(self.env)

    def _prm_queue_invitation(self):
        """Queue Odoo's signup invitation (no expiry) for the mail cron.

        Unlike ``action_reset_password`` the mail is not sent synchronously,
        so an unreachable mail server cannot undo the user creation.
        """
        self.ensure_one()
        self.partner_id.sudo().signup_prepare(signup_type="reset", expiration=False)
        template = self.env.ref("auth_signup.set_password_email")
        # sudo: mail templates are readable by administrators only; the
        # template renders the invitation of this user.
        template.sudo().with_context(lang=self.lang).send_mail(
            self.id, force_send=False)


class PrmPortalUserAdmin(models.AbstractModel):
    """The director's self-service: every method checks the acting user
    (``env.user``) itself, then writes as superuser exactly the checked
    change. Errors are UserError with the reason, translated;
    ``rules.NotManageable`` becomes ``MissingError``-like AccessError that
    the web layer answers with 404.
    """

    _name = "prm.portal.user.admin"
    _description = "Portal users of the own company"

    # --- reading -------------------------------------------------------------
    def _prm_actor(self):
        """The acting director as ``Account``; AccessError for anyone else."""
        user = self.env.user
        if not (user.share and user._prm_is_director()):
            raise AccessError(_("Only the managing director of a partner company "
                                "may manage its users."))
        return self._prm_account(user)

    @staticmethod
    def _prm_account(user):
        return rules.Account(user.id, user.commercial_partner_id.id, user.share,
                             user.prm_portal_class or None, user.active)

    def _prm_company(self):
        # sudo: the director's own company; limit and lock are head office's
        # fields (groups), read here only to apply them.
        return self.env.user.commercial_partner_id.sudo()

    def _prm_users(self):
        """Every portal user of the actor's company, inactive ones too."""
        company = self._prm_company()
        # sudo: directors cannot read res.users of others through the ORM;
        # the domain is the actor's own company and portal users only.
        return self.env["res.users"].sudo().with_context(active_test=False).search(
            [("commercial_partner_id", "=", company.id), ("share", "=", True)],
            order="active desc, name, id")

    def _prm_limit(self):
        company = self._prm_company()
        # sudo: system parameters are admin-only; one number is read.
        default = self.env["ir.config_parameter"].sudo().get_param(
            LIMIT_PARAM, DEFAULT_LIMIT)
        return rules.effective_limit(company.prm_user_limit, default)

    def _prm_locked(self):
        return self._prm_company().prm_user_selfservice_locked

    def _prm_overview(self):
        """``{"users", "limit", "active_count", "locked", "outside"}`` for
        /my/users; ``outside``: the company does not take part in the
        programme (no changes, as when locked)."""
        self._prm_actor()
        users = self._prm_users()
        outside = not self._prm_company()._prm_takes_part()
        return {"users": users, "limit": self._prm_limit(),
                "active_count": len(users.filtered("active")),
                "locked": self._prm_locked() or outside, "outside": outside}

    def _prm_check_takes_part(self):
        """UserError (translated) unless the actor's company takes part in
        the programme: a dealer that left it changes no users (head office
        still can, in the backend)."""
        self._prm_company()._prm_check_takes_part()

    def _prm_target(self, user_id):
        """The company's portal user ``user_id`` (int); raises
        ``rules.NotManageable`` otherwise."""
        actor = self._prm_actor()
        target = self._prm_users().filtered(lambda user: user.id == user_id)
        rules.check_manageable(actor, target and self._prm_account(target))
        return target

    # --- changing ------------------------------------------------------------
    def _prm_fail(self, error):
        raise UserError(translated(error, self.env))

    def _prm_record(self, user, action, detail=""):
        # sudo: the audit is head office's; nobody else writes it.
        self.env["prm.portal.user.event"].sudo().create({
            "dealer_id": self._prm_company().id, "user_id": user.id,
            "author_id": self.env.uid, "action": action, "detail": detail})

    def _prm_invite(self, name, email, mobile, portal_class):
        """Invite a new user of the own company; returns the user.

        Raises UserError (lock, limit, bad input) and AccessError (not a
        director). Nothing is stored on error.
        """
        self._prm_actor()
        self._prm_check_takes_part()
        # parallel invitations of one company: one after the other
        serialize_on(self.env.cr, "res_partner", self._prm_company().id)
        try:
            name, login, mobile = rules.clean_invitation(
                name, email, mobile, portal_class)
            users = self._prm_users()
            rules.check_invite(len(users.filtered("active")), self._prm_limit(),
                               self._prm_locked())
        except rules.PrmError as error:
            self._prm_fail(error)
        user = self.env["res.users"]._prm_create_portal_user(
            self._prm_company(), name, login, mobile, portal_class)
        self._prm_record(user, "invited", portal_class)
        return user

    def _prm_change(self, user_id, active=None, portal_class=None):
        """Deactivate/reactivate (``active`` bool) or re-class
        (``portal_class``) the company's user ``user_id``.

        Raises ``rules.NotManageable`` (another company's or an internal
        user: the web layer answers 404), UserError with the reason
        otherwise. A deactivation ends the user's sessions and API keys at
        once (the security stamp of ``prm_2fa_sms``, rotated by the write of
        ``active``).
        """
        actor = self._prm_actor()
        target = self._prm_target(user_id)
        self._prm_check_takes_part()
        # parallel changes of one company (limit, "one active director
        # remains"): one after the other
        serialize_on(self.env.cr, "res_partner", self._prm_company().id)
        users = self._prm_users()
        new_active = target.active if active is None else bool(active)
        new_class = portal_class or target.prm_portal_class
        try:
            rules.check_change(
                actor, self._prm_account(target),
                [self._prm_account(user) for user in users], new_active,
                new_class, self._prm_limit(), self._prm_locked())
        except rules.NotManageable:
            raise
        except rules.PrmError as error:
            self._prm_fail(error)
        if new_class != target.prm_portal_class:
            # sudo: checked above: a portal user of the actor's company gets
            # one of the two portal classes, nothing else.
            target.sudo().write({"groups_id": self.env[
                "res.users"]._prm_class_commands(new_class)})
            self._prm_record(target, "class_changed", "%s -> %s" % (
                target.prm_portal_class, new_class))
        if new_active != target.active:
            # sudo: checked above; writing ``active`` rotates the security
            # stamp (prm_2fa_sms), which ends the sessions and the RPC
            # credentials of the user in every worker.
            target.sudo().write({"active": new_active})
            if not new_active:
                self._prm_revoke_keys(target)
            self._prm_record(
                target, "reactivated" if new_active else "deactivated")
        return target

    def _prm_revoke_keys(self, user):
        if "prm.2fa.api.key" in self.env:
            # sudo: API keys are admin-only; the keys of the user just
            # deactivated by the checked change above are revoked.
            self.env["prm.2fa.api.key"].sudo().search(
                [("user_id", "=", user.id)]).write({"active": False})
