"""Claiming the outbox: oldest due first, and workers claiming at once never take one twice."""
import threading
from datetime import timedelta

from models.database import db
from models.notifications import SENDING, Notification, claim_due, pending_values, write_pending
from models.people import User
from tests.conftest import START

LEASE = timedelta(seconds=60)


def queue(count: int) -> list[int]:
    user = User.create(openid="o_claims", created_at=START)
    return [write_pending(None, pending_values("order_received", user, "TPL", {"context": {}},
                                                START + timedelta(seconds=n))).id
            for n in range(count)]


def test_the_oldest_due_are_claimed_once_with_a_lease(database):
    ids = queue(5)
    Notification.update(next_attempt_at=START + timedelta(hours=1)).where(
        Notification.id == ids[0]).execute()   # a retry that is not due yet
    claimed = claim_due(START + timedelta(seconds=10), LEASE, 3)
    assert [note.id for note in claimed] == ids[1:4]
    assert all(note.status == SENDING and note.lease_until == START + timedelta(seconds=70)
               for note in claimed)
    assert [note.id for note in claim_due(START + timedelta(seconds=10), LEASE, 3)] == [ids[4]]
    later = START + timedelta(seconds=71)      # the leases ran out: a dead worker's claims
    assert [note.id for note in claim_due(later, LEASE, 10)] == ids[1:5]


def test_workers_claiming_at_the_same_time_share_the_messages(database):
    ids = queue(60)
    taken, start = [], threading.Barrier(4)

    def worker() -> None:
        start.wait()
        for _ in range(6):
            taken.extend(note.id for note in claim_due(START + timedelta(minutes=5), LEASE, 4))
        db.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == ids   # every message once: none twice, none left
