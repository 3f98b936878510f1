"""What every signed-in page costs before its own queries, for the tests that pin a page's query count.

A page's pinned count is `PAGE + WAITING_<role> + its own queries`: when the menu or the session changes, the budget
changes here, once.
"""

from django.db import connection

# The session, the user with their unit and group names (units/backends.py), and the unread count of the menu; the
# session is written back at most once a minute (portal/sessions.py), not on these requests.
PAGE = 3
# On PostgreSQL the waiting list first reads the database's change token (portal/db_changes.py): one query more when the
# list is computed, and the only one when this process computed it earlier with nothing written since.
CHANGE_TOKEN = 1 if connection.vendor == "postgresql" else 0
# The waiting list behind the menu's counts (overview/waiting.py): a fixed number per role, whatever the data.
WAITING_OFFICE = 18 + CHANGE_TOKEN  # the office reviewer: what to review, issue, answer, and what their own unit owes
WAITING_LEADERSHIP = 10 + CHANGE_TOKEN
WAITING_UNIT = 6 + CHANGE_TOKEN  # a unit member: what their unit owes
WAITING_COUNCIL_MEMBER = WAITING_UNIT + 1  # what their unit owes, and their meetings
