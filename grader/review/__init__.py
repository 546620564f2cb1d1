"""`grade review`: the written half of the grade, reviewed in a browser and kept in a gradebook.

`gradebook` (the SQLite file of decisions), `groups` (alike answers), `state` (the class as the
app sees it, re-scored and written on every decision), `app` (the Starlette app: pages and the
JSON API), `serve` (the local server and its token).
"""
