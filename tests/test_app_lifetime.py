"""create_app freezes the garbage collector's view once per process, not at every app: a
process that builds app after app (the tests, a script) must be able to free the earlier ones
and close their database connections."""
import gc
import weakref

from wechat_bot import create_app


def test_an_app_built_before_another_can_still_be_freed(settings, clock, redis_db, database):
    create_app(settings, clock=clock, redis_client=redis_db)   # the process's first, if not yet
    earlier = weakref.ref(create_app(settings, clock=clock, redis_client=redis_db))
    create_app(settings, clock=clock, redis_client=redis_db)   # must not freeze `earlier`
    gc.collect()
    assert earlier() is None
