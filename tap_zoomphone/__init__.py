"""Singer tap for Zoom Phone call logs and call history."""
