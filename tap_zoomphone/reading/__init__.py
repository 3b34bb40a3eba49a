"""Decides and performs what a run reads.

The plan (its steps) and what they cost, month windows, the sync walk, the crawl (the one
parallel mechanism), pages, bookmarks, the user directory, settle reads, and the traversals the
stream declarations use.
"""
