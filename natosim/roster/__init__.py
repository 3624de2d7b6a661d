"""Rosters of member states: who sits on a body, when, and the data behind their clout."""
