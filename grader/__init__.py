"""Autograder for Deep Learning Assignment #5 (chapters 7–8 of "Deep Learning from Scratch")."""

__version__ = "0.1.0"
