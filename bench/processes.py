"""This machine's processes as /proc shows them, for the benchmarks that watch a server: its workers, PostgreSQL's
processes, their memory and their CPU time. A process that exits while it is read is left out."""

import os


def stat_fields(pid):
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces: split after its last ")")."""
    with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def matching(predicate):
    """The pids, in order, of the processes (other than this one) for which `predicate(pid)` is true."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            if predicate(int(entry)):
                found.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(found)


def children(parent_pid):
    """The processes whose parent is `parent_pid` (gunicorn's workers of its master)."""
    # After "pid (comm)": state, then the parent's pid.
    return matching(lambda pid: int(stat_fields(pid)[1]) == parent_pid)


def named(name):
    """The processes whose command name is `name` ("postgres": the server and a backend per connection)."""

    def has_name(pid):
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as handle:
            return handle.read().strip() == name

    return matching(has_name)


def with_command_line(fragment):
    """The processes whose command line holds the bytes `fragment`."""

    def holds(pid):
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return fragment in handle.read()

    return matching(holds)


def rss_kib(pid):
    """VmRSS of the process in KiB; None once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(fields, ticks_per_second):
    """User + system CPU seconds of a process from its stat fields after the command name (utime, stime)."""
    # In /proc/<pid>/stat, state is field 3, utime 14 and stime 15: here 0, 11 and 12.
    return (int(fields[11]) + int(fields[12])) / ticks_per_second


def processes_cpu(pids):
    """{pid: CPU seconds used so far} of the pids still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            used[pid] = cpu_seconds(stat_fields(pid), ticks)
        except (OSError, IndexError, ValueError):
            continue
    return used
