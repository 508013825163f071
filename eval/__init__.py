"""`make eval`: how well the skill understands people who talk the way couples do."""
