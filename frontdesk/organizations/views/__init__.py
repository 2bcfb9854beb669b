"""Staff pages of an organization, by page family: home (overview, settings index), staff and
invitations, permissions, groups."""
