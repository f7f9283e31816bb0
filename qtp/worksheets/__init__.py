"""Worksheets: each team's QI tools (charter, aim, ... storyboard) edited together, with revisions."""
