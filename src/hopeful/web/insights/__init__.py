"""Program insights: an organization's dashboard of protected aggregates (issue 5)."""
