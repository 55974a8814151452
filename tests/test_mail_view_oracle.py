"""fix9a (kind of review9 F6): core's ``/mail/view`` link must not tell a
visitor who is not signed in whether a record exists."""
import base64
import re
import uuid
from urllib.parse import unquote, urlsplit


def test_mail_view_does_not_reveal_whether_a_record_exists(odoo_server):
    """Signed out, core redirected ``/mail/view?model=M&res_id=N`` to the
    record's form (``/web?#...&id=N``) when the record exists and to the
    inbox when it does not: an oracle over the ids of every model (an
    unpublished document, another dealer). Expected: one answer for both,
    the login page that returns to the same link."""
    document = odoo_server.execute("admin", None, "prm.document", "create", {
        "name": "fix9a unpublished %s" % uuid.uuid4().hex[:8],
        "category": "other", "file": base64.b64encode(b"x").decode(),
        "file_name": "d.txt"})
    dealer = odoo_server.execute("admin", None, "res.users", "search_read",
                                 [("login", "=", "director01")],
                                 ["commercial_partner_id"])[0]
    anonymous = odoo_server.session()
    for model, existing in (("prm.document", document),
                            ("res.partner", dealer["commercial_partner_id"][0])):
        answers = []
        for res_id in (existing, existing + 10 ** 6):
            response = anonymous.get(
                odoo_server.url + "/mail/view",
                params={"model": model, "res_id": res_id},
                allow_redirects=False)
            location = urlsplit(response.headers.get("Location", ""))
            target = re.sub(r"(?<!\d)%d(?!\d)" % res_id, "N", unquote(
                "%s?%s#%s" % (location.path, location.query,
                              location.fragment)))
            answers.append((response.status_code, target))
        assert answers[0] == answers[1], (model, answers)
        assert "/web/login" in answers[0][1], (model, answers)
