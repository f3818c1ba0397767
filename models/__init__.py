"""Tables and the pure business rules of 报修 bot. Nothing here imports Flask, Redis or WeChat."""
from models.catalogue import Department, Device, DeviceType, FaultType, Location
from models.database import db, open_database
from models.schema import add_job_facts, add_missing_columns
from models.handoff import HandoffRequest
from models.job_facts import JobFact
from models.jobs import JobRun
from models.notifications import Notification
from models.numbering import OrderSequence
from models.orders import Attachment, OrderEscalation, OrderEvent, RepairOrder
from models.qrcodes import QrCode
from models.people import (EngineerArea, EngineerProfile, EngineerSkill, InviteCode,
                           RoleAssignment, User)
from models.staff import AuditLog, StaffAccount

ALL_TABLES = (Department, FaultType, Location, DeviceType, Device, User, RoleAssignment,
              EngineerProfile, EngineerSkill, EngineerArea, InviteCode, RepairOrder, OrderEvent,
              JobFact, Attachment, OrderSequence, Notification, JobRun, OrderEscalation,
              StaffAccount, AuditLog, QrCode, HandoffRequest)


def create_tables() -> None:
    """Create every table, column and index that does not exist yet (safe to run again); a
    database that gains the job facts gets them for the orders it holds (a backfill)."""
    # Columns first: a table's new indexes may name a column it gains now.
    add_missing_columns([table for table in ALL_TABLES
                         if db.table_exists(table._meta.table_name)])
    db.create_tables([table for table in ALL_TABLES if table is not JobFact], safe=True)
    add_job_facts()   # made and filled from the timelines in one go
    db.create_tables([JobFact], safe=True)   # indexes it gained since
