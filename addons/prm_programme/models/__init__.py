from . import prm_tier
from . import prm_tier_criterion
from . import res_partner
from . import prm_tier_status
from . import prm_tier_history
from . import prm_tier_proposal
from . import prm_tier_evaluation
