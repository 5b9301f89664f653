"""Who sees the dashboard: the desk's own permissions (annotations.roles), no new one. Reviewers and admins hold
review_verdict; editors do not."""

from annotations.roles import Rule

SEE_DASHBOARD = Rule("annotations.review_verdict", "Only reviewers and admins see the desk dashboard.")
