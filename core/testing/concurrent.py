"""Run functions at the same time, each in its own thread with its own database connection: two
requests in two server workers, as tests of races need them (`django_db(transaction=True)`)."""
import threading

from django.db import connection


def at_once(*fns, timeout=30):
    """Start every fn together (a barrier) and return their results in order; re-raise the first error."""
    start = threading.Barrier(len(fns))
    results, errors = [None] * len(fns), []

    def run(i, fn):
        try:
            start.wait(timeout)
            results[i] = fn()
        except Exception as err:  # reported by the calling thread
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
