"""Speaks HTTP to Zoom: one GET, auth, errors, rate labels and pacing, the daily share.

Also Zoom's clock and moments, downloads, and Zoom's API description (the schemas' source).
"""
