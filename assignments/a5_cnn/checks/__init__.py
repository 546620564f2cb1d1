"""The checks of Assignment #5's code questions (importing a module registers its checks)."""
