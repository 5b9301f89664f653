"""What each role may do with the corpus: the permissions matching adds to the roles (annotations.roles.extend,
from MatchingConfig.ready) and each action's rule, refused in the services with annotations' own `require`."""

from annotations.roles import ADMINS, EDITORS, REVIEWERS, Rule

_READ = ["matching.view_factcheck"]
ROLE_PERMISSIONS = {
    EDITORS: _READ,
    REVIEWERS: _READ,
    ADMINS: [
        *_READ,
        "matching.add_factcheck",
        "matching.view_claimreviewfeed",
        "matching.add_claimreviewfeed",
        "matching.change_claimreviewfeed",
        "matching.delete_claimreviewfeed",
    ],
}

READ_FACTCHECKS = Rule("matching.view_factcheck", "Your role does not include the corpus of fact-checks.")
IMPORT_FACTCHECKS = Rule("matching.add_factcheck", "Only admins import fact-checks into the corpus.")
MANAGE_FEEDS = Rule("matching.change_claimreviewfeed", "Only admins subscribe to ClaimReview feeds.")
