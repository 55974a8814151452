from . import prm_2fa_api_key_wizard
