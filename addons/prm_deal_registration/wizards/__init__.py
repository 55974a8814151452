from . import prm_deal_decision
