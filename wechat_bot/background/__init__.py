"""What `run.py worker` runs, off the webhook's path.

worker.py is the loop (woken through wake.py's Redis list); dispatch.py sends submitted orders
where the assignment rules say; outbox.py delivers queued template messages; photos.py downloads
users' photos; scheduler.py and lease.py make exactly one worker fire clock_jobs.py (SLA checks,
survey, shift handover) and reports.py (leaders' daily and monthly reports). It may import the
plumbing, wechat_api/, `handlers` (for shared reply rules) and `models`; never chat/ or admin/.
"""
