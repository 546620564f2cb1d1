"""The grading engine: a class of submissions and a student's self-check, for the assignments installed
(`grader/assignment.py`; this project carries Assignment #5 of "Deep Learning from Scratch", chapters 7–8)."""

__version__ = "0.1.0"
