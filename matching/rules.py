"""What each role may do with the corpus: the permissions matching adds to the roles (annotations.roles.extend,
from MatchingConfig.ready) and each action's rule, refused in the services with annotations' own `require`."""

from annotations.roles import ADMINS, EDITORS, REVIEWERS, Rule

_READ = ["matching.view_factcheck"]
# Whoever may edit a claim may say which fact-check it is the same claim as.
_LINK = ["matching.add_sameclaim", "matching.change_sameclaim", "matching.delete_sameclaim"]
ROLE_PERMISSIONS = {
    EDITORS: [*_READ, *_LINK],
    REVIEWERS: [*_READ, *_LINK],
    ADMINS: [
        *_READ,
        *_LINK,
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
LINK_CLAIMS = Rule("matching.change_sameclaim", "Only editors and reviewers link a claim to a fact-check.")
# A published claim's link is in its public ClaimReview (itemReviewed.sameAs): a desk action, as a correction is.
LINK_PUBLISHED = Rule(
    "annotations.publish_verdict", "Only reviewers change the same-claim link of a published fact-check."
)
