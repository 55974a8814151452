from . import prm_audience_mixin
from . import prm_document
from . import prm_news
from . import ir_attachment
from . import res_users
from . import mail_template
from . import crm_lead
