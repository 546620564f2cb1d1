"""Reference solution of Assignment #5, following the book's interfaces exactly."""
