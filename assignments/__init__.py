"""The assignments this grader carries: each subpackage declares one `grader.assignment.Assignment`
(its rubric, reference, book library, checks, names and messages); the engine in `grader/` knows none."""
