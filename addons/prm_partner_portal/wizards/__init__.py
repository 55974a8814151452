from . import prm_portal_user_wizard
