"""Fixtures of the documents tests: items addressed to one dealer by a tag."""
import base64

FILE = base64.b64encode(b"PRM price list 2027").decode()


def dealer_tag(env, dealer, name="Docs test"):
    """A dealer tag (res.partner.category) carried by ``dealer`` only."""
    tag = env["res.partner.category"].create({"name": "%s %s" % (name, dealer.id)})
    dealer.write({"category_id": [(4, tag.id)]})
    return tag


def document_values(env, dealer, **extra):
    """Values of a published document addressed to ``dealer`` only."""
    values = {"name": "Price list %s" % dealer.id, "category": "price_list",
              "file": FILE, "file_name": "prices.txt", "published": True,
              "category_ids": [(6, 0, dealer_tag(env, dealer).ids)]}
    values.update(extra)
    return values


def news_values(env, dealer, **extra):
    values = {"name": "News for %s" % dealer.id, "body": "<p>Hello</p>",
              "published": True,
              "category_ids": [(6, 0, dealer_tag(env, dealer).ids)]}
    values.update(extra)
    return values


def file_attachment(env, document):
    """The ir.attachment holding the document's file (read as superuser)."""
    return env["ir.attachment"].sudo().search([
        ("res_model", "=", "prm.document"), ("res_id", "=", document.id),
        ("res_field", "=", "file")])
