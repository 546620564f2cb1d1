"""The toy assignment's solution (never in its kit)."""
