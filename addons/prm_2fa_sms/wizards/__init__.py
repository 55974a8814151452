from . import prm_2fa_identity_check
from . import prm_2fa_api_key_wizard
from . import prm_2fa_number_wizard
from . import prm_2fa_totp_wizard
from . import prm_2fa_reset_wizard
