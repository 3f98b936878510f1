"""The refusal every service raises: an action that may not happen, with a message a Vietnamese user can act on."""


class Refused(Exception):
    """A refused action; `message` is shown to the user as it is. Each app derives its own errors from it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidTransition(Refused):
    """The object is not in a state the action starts from (someone else may just have acted on it)."""


class NotAllowed(Refused):
    """The person may not do this."""
