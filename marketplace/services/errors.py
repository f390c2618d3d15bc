"""Domain errors the API turns into clear 4xx answers."""


class DomainError(Exception):
    """A request that breaks a business rule; `status` is the HTTP code to answer with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (illegal transition, sold out, raced)."""

    status = 409
