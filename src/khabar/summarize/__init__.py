"""Presenting stories: timelines as text and Markdown."""
