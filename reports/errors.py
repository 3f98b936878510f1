"""Errors the report services raise, each with a message a Vietnamese user can act on (workflow.errors.Refused)."""

from workflow.errors import InvalidTransition as SharedInvalidTransition
from workflow.errors import NotAllowed as SharedNotAllowed
from workflow.errors import Refused


class ReportError(Refused):
    """A refused action of the reports; `message` is shown to the user as it is."""


class InvalidTransition(ReportError, SharedInvalidTransition):
    pass


class NotAllowed(ReportError, SharedNotAllowed):
    pass


class EditConflict(ReportError):
    """Someone else saved this part since the editor loaded it; both versions go back to the user."""

    def __init__(self, conflicts):
        super().__init__(
            "Nội dung này vừa được người khác cập nhật. Hãy so sánh hai phiên bản bên dưới và chọn nội dung cần giữ."
        )
        self.conflicts = conflicts  # {part_key: {"theirs": {...}, "yours": {...}, "revision": int, "by": str}}


class SubmissionInvalid(ReportError):
    def __init__(self, errors):
        super().__init__("Báo cáo chưa thể nộp: vui lòng hoàn thiện các mục được đánh dấu.")
        self.errors = errors  # {part_key: {field: message}}
