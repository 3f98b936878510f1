"""Errors the awards services raise, each with a message a Vietnamese user can act on."""

from workflow.errors import InvalidTransition as SharedInvalidTransition
from workflow.errors import NotAllowed as SharedNotAllowed
from workflow.errors import Refused


class AwardError(Refused):
    """A refused action of the awards workflow; `message` is shown to the user as it is."""


class NotAllowed(AwardError, SharedNotAllowed):
    pass


class InvalidTransition(AwardError, SharedInvalidTransition):
    pass


class NotEligible(AwardError):
    """The nomination fails eligibility checks; `problems` lists each failed check's message."""

    def __init__(self, problems):
        super().__init__("Đề nghị chưa đủ điều kiện: " + "; ".join(problems))
        self.problems = problems
