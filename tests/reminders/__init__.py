"""Reminders and progressive responses against a local fake of the Alexa API."""
