"""``python -m foerdermittel`` and the ``foerdermittel`` command: the command line as a program.

``run`` imports the command line and runs it on ``sys.argv``.
Importing this module runs nothing; run as ``python -m foerdermittel`` it runs the command.
"""

import gc


def run() -> int:
    """Run the command line on ``sys.argv``; returns the exit status.

    A command runs once in a process of its own, so the cyclic garbage collector is kept out
    of its way: paused while the library is imported (its modules, classes and validators are
    no garbage), and everything imported is frozen (``gc.freeze``) before it runs again, so
    that the collections while the command runs scan only what the command itself makes. For
    a report of the example case the collections had taken about a sixth of the process's time.
    Called from Python, ``foerdermittel.cli.main`` does not touch the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        from foerdermittel.cli import main

        # Frozen before the collector runs again: its first collection would otherwise scan
        # every object the import made, all of them still in the youngest generation.
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
