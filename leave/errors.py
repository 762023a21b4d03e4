from opsdept.errors import DomainError


class LeaveError(DomainError):
    """A rule of the leave chapter was broken; the message is translated and names its form field."""
