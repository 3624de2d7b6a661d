"""Scenario and roster to arrays: the compiled model that the engines simulate."""
