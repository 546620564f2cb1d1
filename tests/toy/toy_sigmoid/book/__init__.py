"""What the toy assignment's "book" gives students: a numerical derivative."""
