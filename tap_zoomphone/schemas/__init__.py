"""JSON schemas of the streams' records, one file per stream."""
