from . import crm_lead, prm_home_tile, report_scorecard, res_partner, res_users
