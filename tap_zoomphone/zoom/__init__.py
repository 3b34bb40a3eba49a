"""Speaks HTTP to Zoom: one GET, auth, errors, rate labels and pacing, the daily share.

Also Zoom's clock and moments, downloads, the endpoint declarations and Zoom's API description.
"""
