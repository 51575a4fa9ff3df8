"""Whether a database file lies on a network share.

SQLite's locking is not reliable over SMB, NFS or sshfs: two workstations writing one file on
a share can damage it. Several workstations share a PostgreSQL server, not a file; Genebank
still opens such a file (one person may keep theirs on a home drive) but says so.

Every source of facts (the platform, the mount table, Windows' drive type) can be passed in,
so the detection is tested with the shapes real systems produce.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

# Linux /proc/mounts types (and macOS `mount` types) that live on another machine.
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "afpfs",
    "webdav", "davfs", "coda", "9p", "ceph", "glusterfs", "lustre", "gpfs", "ocfs2",
    "sshfs", "vboxsf", "vmhgfs",
})
NETWORK_FUSE = frozenset({"sshfs", "davfs2", "rclone", "s3fs", "smbnetfs", "gvfsd-fuse",
                          "glusterfs", "cephfs", "curlftpfs", "vmhgfs-fuse"})
DRIVE_REMOTE = 4  # GetDriveTypeW


def network_filesystem(path: Path, *, platform: str | None = None,
                       mounts: str | None = None,
                       drive_type: Callable[[str], int] | None = None) -> str | None:
    """The network share ``path`` is on (its type, e.g. "cifs" or "nfs4"; on Windows the
    UNC share "\\\\server\\share" or "mapped drive Z:"),
    or None for a local disk or when it cannot be told."""
    platform = platform or sys.platform
    if platform == "win32":
        return _windows_share(str(path), drive_type or _get_drive_type)
    if mounts is None:
        mounts = _mount_table(platform)
    if not mounts:
        return None
    try:
        resolved = Path(os.path.realpath(path))
    except OSError:
        resolved = Path(os.path.abspath(path))
    best: tuple[int, str] | None = None
    for mount_point, fstype in _parse_mounts(mounts, platform):
        if _is_under(resolved, mount_point) and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fstype)
    if best is None:
        return None
    return best[1] if _is_network_type(best[1]) else None


def _is_network_type(fstype: str) -> bool:
    kind = fstype.lower()
    if kind in NETWORK_TYPES:
        return True
    if kind.startswith("fuse."):
        return kind.removeprefix("fuse.") in NETWORK_FUSE or kind.removeprefix("fuse.") \
            in NETWORK_TYPES
    return kind.startswith(("nfs", "smb", "cifs"))


def _is_under(path: Path, mount_point: str) -> bool:
    if mount_point == "/":
        return True
    return path == Path(mount_point) or Path(mount_point) in path.parents


def _unescape(field: str) -> str:
    r"""/proc/mounts writes space, tab, newline and backslash as \040, \011, \012, \134."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 4 <= len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _parse_mounts(text: str, platform: str) -> list[tuple[str, str]]:
    """(mount point, type) pairs from /proc/mounts (Linux) or `mount` output (macOS, BSD)."""
    pairs = []
    for line in text.splitlines():
        if platform.startswith("linux"):
            fields = line.split()
            if len(fields) >= 3:
                pairs.append((_unescape(fields[1]), fields[2]))
        elif " on " in line and " (" in line:
            # //user@server/share on /Volumes/share (smbfs, nodev, nosuid, mounted by x)
            rest = line.split(" on ", 1)[1]
            mount_point, _, options = rest.rpartition(" (")
            pairs.append((mount_point, options.split(",")[0].strip(" )")))
    return pairs


def _mount_table(platform: str) -> str:
    if platform.startswith("linux"):
        try:
            return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    try:
        return subprocess.run(["mount"], capture_output=True, text=True, timeout=5,
                              check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _windows_share(path: str, drive_type: Callable[[str], int]) -> str | None:
    windows = PureWindowsPath(path)
    drive = windows.drive
    if drive.startswith(("\\\\", "//")):
        return drive
    if not drive:
        return None
    try:
        kind = drive_type(drive + "\\")
    except OSError:
        return None
    return f"mapped drive {drive}" if kind == DRIVE_REMOTE else None


def _get_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
