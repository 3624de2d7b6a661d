"""Rendering: functions that turn results into rich objects. They never print."""
