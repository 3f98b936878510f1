"""The refusal every service raises: an action that may not happen, with a message a Vietnamese user can act on."""


class Refused(Exception):
    """A refused action; `message` is shown to the user as it is. Each app derives its own errors from it.

    `field` names the form field the refusal is about (a date, a number), so the page shows it there.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NeedsConfirmation(Refused):
    """Refused unless the person confirms, with a reason, that the record is right as typed (a paper signed
    before the portal's approval, a number the clerk gave out of date order); the reason goes into the history."""


class InvalidTransition(Refused):
    """The object is not in a state the action starts from (someone else may just have acted on it)."""


class NotAllowed(Refused):
    """The person may not do this."""
