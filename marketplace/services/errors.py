"""Domain errors the API turns into clear 4xx answers."""


class DomainError(Exception):
    """A request that breaks a business rule; `status` is the HTTP code to answer with.

    `code` and `params` let a client say the same thing in the person's language (the English
    `message` stays for logs, staff and other clients)."""

    status = 400

    def __init__(self, message: str, *, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message, self.code, self.params = message, code, params


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (illegal transition, sold out, raced)."""

    status = 409
