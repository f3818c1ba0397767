"""Repair orders, their timeline events and their photos."""
from peewee import (SQL, BooleanField, Case, CharField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, TextField)

from models.catalogue import REPAIR, Department, Device, FaultType, Location
from models.database import BaseModel
from models.lifecycle import COMPLETED, OPEN_STATES, SUBMITTED
from models.people import User

NORMAL, URGENT = "normal", "urgent"


class RepairOrder(BaseModel):
    """One reported fault (报修) or matter (报事) from report to closure."""
    number = CharField(max_length=24, unique=True)
    kind = CharField(max_length=8, default=REPAIR)
    # Foreign keys carry no index of their own: the composite indexes below lead with the
    # ones that are searched, and every index is paid for on each 确认 and status change.
    reporter = ForeignKeyField(User, backref="orders", on_delete="RESTRICT", index=False)
    category = ForeignKeyField(FaultType, null=True, on_delete="SET NULL", index=False)
    location = ForeignKeyField(Location, null=True, on_delete="SET NULL", index=False)
    location_text = CharField(max_length=200)
    device = ForeignKeyField(Device, null=True, on_delete="SET NULL", index=False)
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL", index=False)
    description = TextField()
    phone = CharField(max_length=32)
    # Who reported, as they said it then (the user may change their name or unit later).
    # The reporter's draft it came from: a 确认 sent again (after a stall, a crash, a retry
    # WeChat gave up on) finds this order instead of making a second one.
    submission_key = CharField(max_length=32, null=True, unique=True)
    reporter_name = CharField(max_length=64, default="")
    reporter_unit = CharField(max_length=100, default="")
    preferred_slot = CharField(max_length=64, default="")
    priority = CharField(max_length=8, default=NORMAL)
    status = CharField(max_length=16, default=SUBMITTED, index=True)
    engineer = ForeignKeyField(User, null=True, backref="jobs", on_delete="SET NULL",
                               index=False)
    submitted_at = DateTimeField()  # indexed first in the statistics index below
    reviewed_at = DateTimeField(null=True)
    dispatched_at = DateTimeField(null=True)
    accepted_at = DateTimeField(null=True)
    arrived_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    rated_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    queued_at = DateTimeField(null=True)       # nobody qualified: waits for a dispatcher
    first_dispatched_at = DateTimeField(null=True)   # the same-day SLA rule counts from here
    accept_misses = IntegerField(default=0)    # dispatches that timed out unaccepted
    survey_reminded_at = DateTimeField(null=True)    # the 回访 reminder went out
    unrated = BooleanField(default=False)      # closed by the survey without a rating
    # Repeats an earlier fault of its type at its place (models/repeats.py); NULL: not known
    # yet (the worker marks new orders; a cancellation unmarks the ones it made repeats).
    repeat_fault = BooleanField(null=True)
    vendor_name = CharField(max_length=64, default="")   # routed to the warranty vendor
    vendor_phone = CharField(max_length=32, default="")
    follow_up_at = DateTimeField(null=True)    # when a suspended job is picked up again
    urged_at = DateTimeField(null=True)        # the reporter's last 催单
    solution = TextField(default="")
    materials = TextField(default="")
    cost = DecimalField(max_digits=10, decimal_places=2, null=True)
    rating = IntegerField(null=True)
    feedback = TextField(default="")
    callback_needed = BooleanField(default=False)

    class Meta:
        indexes = ((("reporter", "submitted_at"), False),
                   (("engineer", "status"), False),
                   # Statistics (models/statistics.py): a period's orders read from the index
                   # alone, and the earlier order at the same place for repeat faults.
                   (("submitted_at", "status", "category", "location", "location_text",
                     "accepted_at", "arrived_at", "completed_at", "rating"), False),
                   (("location", "category", "submitted_at", "status"), False),
                   (("location_text", "category", "submitted_at", "status", "location"), False))

    @classmethod
    def recent_for(cls, reporter: User, limit: int) -> list["RepairOrder"]:
        """A reporter's newest orders first."""
        return list(cls.select().where(cls.reporter == reporter)
                    .order_by(cls.submitted_at.desc(), cls.id.desc()).limit(limit))

    @classmethod
    def owned_by(cls, reporter: User, number: str):
        """The order with this number if `reporter` filed it, else None (never another's)."""
        return cls.get_or_none((cls.number == number) & (cls.reporter == reporter))

    @classmethod
    def newest_to_rate(cls, reporter: User, since):
        """The reporter's newest order completed since `since` and not rated yet, or None."""
        return (cls.select().where(cls.reporter == reporter, cls.status == COMPLETED,
                                   cls.completed_at >= since)
                .order_by(cls.completed_at.desc(), cls.id.desc()).first())


# The order list's 未评价 filter, newest first. A partial index: it holds only the orders the
# survey closed without a rating (one entry written then), not a byte for any other order.
# Without it the filter walks the whole time index when such orders are rare (0.5 s a million).
RepairOrder.add_index(RepairOrder.index(RepairOrder.submitted_at, where=RepairOrder.unrated,
                                        name="repair_order_unrated_submitted_at"))


# Repeat faults (models/repeats.py): the marked repeats of a period read from the index alone,
# and the orders not marked yet (a few: the newest) found without reading the others.
RepairOrder.add_index(RepairOrder.index(
    RepairOrder.submitted_at, RepairOrder.status, RepairOrder.category, RepairOrder.location,
    RepairOrder.location_text, where=RepairOrder.repeat_fault, name="repair_order_repeats"))
RepairOrder.add_index(RepairOrder.index(RepairOrder.submitted_at,
                                        where=RepairOrder.repeat_fault.is_null(),
                                        name="repair_order_repeat_unknown"))


def open_urgent():
    """Open urgent orders, as a WHERE term worded exactly as the partial index below: with
    literal values, since SQLite uses a partial index only for a query that repeats its
    condition (bound parameters do not)."""
    states = ", ".join(f"'{state}'" for state in OPEN_STATES)
    return ((RepairOrder.priority == SQL(f"'{URGENT}'"))
            & RepairOrder.status.in_(SQL(f"({states})")))


# The back office pins open urgent orders above its list, newest first. A partial index holds
# only those (an urgent order enters it when stored and leaves when finished), so the pinned
# list reads a handful of entries however many orders there are, and no other order pays.
RepairOrder.add_index(RepairOrder.index(RepairOrder.submitted_at, where=open_urgent(),
                                        name="repair_order_open_urgent_submitted_at"))


def urgent_first():
    """An ORDER BY term that puts urgent orders before the others (then the list's own order)."""
    return Case(None, [(RepairOrder.priority == URGENT, 0)], 1)


class OrderEvent(BaseModel):
    """One step of an order's timeline: who moved it from which state to which, and why."""
    order = ForeignKeyField(RepairOrder, backref="events", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True, on_delete="SET NULL")
    trigger = CharField(max_length=16)
    from_status = CharField(max_length=16, default="")
    to_status = CharField(max_length=16)
    note = TextField(default="")
    created_at = DateTimeField()

    @classmethod
    def timeline(cls, order: RepairOrder) -> list["OrderEvent"]:
        """The order's events, oldest first."""
        return list(cls.select().where(cls.order == order).order_by(cls.created_at, cls.id))


class Attachment(BaseModel):
    """A photo a user sent; recorded at once, downloaded later by the worker."""
    order = ForeignKeyField(RepairOrder, null=True, backref="attachments", on_delete="CASCADE")
    uploader = ForeignKeyField(User, on_delete="CASCADE")
    media_id = CharField(max_length=128, index=True)
    pic_url = CharField(max_length=500, default="")
    stage = CharField(max_length=8, default="before")  # before | after the repair
    file_path = CharField(max_length=300, default="")
    downloaded = BooleanField(default=False, index=True)
    download_error = CharField(max_length=200, default="")
    created_at = DateTimeField()


class OrderEscalation(BaseModel):
    """One escalation step sent for an order; the unique pair makes each step happen once."""
    order = ForeignKeyField(RepairOrder, backref="escalations", on_delete="CASCADE")
    step = CharField(max_length=24)
    sent_at = DateTimeField()

    class Meta:
        indexes = ((("order", "step"), True),)


# The 超时 list (models/sla_overdue.py) asks which orders were ever suspended (挂起): a partial
# index holds only their suspend events, so the question reads those few entries, and no
# other event (a 确认's submit, an accept) pays a byte for it.
OrderEvent.add_index(OrderEvent.index(OrderEvent.order,
                                      where=OrderEvent.trigger == SQL("'suspend'"),
                                      name="order_event_suspend_order_id"))
