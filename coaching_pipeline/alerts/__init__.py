"""Alerts about the pipeline itself: failed runs and spend over budget, posted to Slack once each."""
