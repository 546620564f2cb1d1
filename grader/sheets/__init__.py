"""Answer sheets and notebooks: answers by question number, code stitched, numbers and words graded.

Pure functions with no subprocesses; the grader core calls them:
- `parse_sheet(text, question_ids)`, `read_sheet(data, question_ids)`, `decode_text(data)`;
- `question_code(sheet, qid)`: the stitched code of one question;
- `read_notebook(data, question_ids)`: a notebook's code and its cells as a sheet;
- (how an assignment's network class is cut into its questions is the assignment's: `Assignment.slots`);
- `numeric.values`, `numeric.working`, `numeric.named`, `numeric.relation`, `numeric.shape_meaning`;
- `match_concepts`, `strip_question`, `compile_patterns` for written questions.
"""

from . import numeric
from .decode import decode_text, encoding_note, looks_binary
from .model import Answer, CodeBlock, CodeFragment, Notebook, Picture, Sheet
from .notebook import read_notebook
from .parse import parse_sheet, read_sheet
from .stitch import question_code
from .written import compile_patterns, match_concepts, strip_question

__all__ = [
    "Answer",
    "CodeBlock",
    "CodeFragment",
    "Notebook",
    "Picture",
    "Sheet",
    "compile_patterns",
    "decode_text",
    "encoding_note",
    "looks_binary",
    "match_concepts",
    "numeric",
    "parse_sheet",
    "question_code",
    "read_notebook",
    "read_sheet",
    "strip_question",
]
