"""Ratings (好差评), rectification of bad ones, and their aggregates."""
