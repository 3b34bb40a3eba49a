"""Helper scripts of the repository (README generation, result summaries)."""
