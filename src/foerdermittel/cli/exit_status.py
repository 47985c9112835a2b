"""The exit status of the command line, one constant per outcome."""

__all__ = [
    "EXIT_CLOSED_PIPE",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
]

EXIT_OK = 0  # fine
EXIT_FINDINGS = 1  # a finding of severity error
EXIT_INPUT = 2  # unusable input, or a usage error
EXIT_INTERNAL = 3  # an internal error: a defect
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program Ctrl+C ended
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a program a closed pipe ended
