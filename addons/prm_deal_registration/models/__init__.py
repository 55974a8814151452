from . import prm_deal_registration, res_config_settings
