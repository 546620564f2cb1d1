"""The code the book provides beside the assignment (its `common/` library), written for this grader.

Students use it without handing it in: an answer sheet calls `im2col` it never defines, a notebook
imports `from common.layers import Relu`. The grader supplies these names from here wherever the
student did not write them — in the TA's run and in the student's self-check alike, so both grade
the same program. It holds none of what the assignment asks students to write (Convolution,
Pooling, SimpleConvNet): the student kit ships it.

Loaded into a worker as the program `_book`; its modules import each other relatively.
"""
