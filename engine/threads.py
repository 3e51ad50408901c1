"""BLAS thread control.

A mini-batch of 10 makes matrix products far too small for a second BLAS
thread to help; on a 2-core machine it only steals the core the GUI needs and
sometimes stalls. Training therefore runs its BLAS on one thread.
"""


def limit_blas_threads(n=1):
    """Limit BLAS to ``n`` threads for the whole process; returns the limiter or None.

    Call ``.restore_original_limits()`` on the result to undo it.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the engine still works, only slower on small batches
        return None
    return threadpool_limits(n, user_api="blas")
