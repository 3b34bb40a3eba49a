"""Writes Singer: SDK glue, record conformance, the writer, progress lines."""
