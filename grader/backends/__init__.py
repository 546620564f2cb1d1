"""Where a class is graded when one machine is not enough: distributed backends.

Each backend sends one task per submission to an engine that already exists (never a home-made
one), runs the same `grade_submission` and the same sandbox there, and yields plain results as they
complete, so that `grade_class` consumes it like its local process pool. Backends are optional
extras: importing this package needs none of them.
"""
