"""The self-hosted web-service mode: Alexa request verification and the Flask app."""
