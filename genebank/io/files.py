"""The one way Genebank writes a file: whole, or not at all.

Every file Genebank writes (backups, exports, reports, templates, certificates) is written
to a temporary file in the target's folder, named ``.<name>.partial-<random><suffix>``,
flushed to disk, checked, and only then renamed onto the chosen name (``os.replace``, atomic
on one file system; where a file must not be overwritten, linked to it, which fails when
the name is taken: see :func:`place_new`), after which the folder itself is flushed on
POSIX. A write that fails or is interrupted (an exception, a full disk, a killed process, a
power cut) never leaves a file under the chosen name, and an existing file there stays as it
was until the new one is complete. A temporary file that a killed process left behind is
removed by the next write into that folder: on POSIX the writer holds a lock on its
temporary file, so only files nobody is writing are removed; elsewhere only files untouched
for an hour.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from genebank import problems
from genebank.problems import Coded

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there anyway
    fcntl = None  # type: ignore[assignment]

PARTIAL_MARK = ".partial-"
# ".<name>.partial-<12 hex digits><suffix>": recognisably ours, never a user's own file.
PARTIAL_NAME = re.compile(r"^\..+\.partial-[0-9a-f]{12}(\.[A-Za-z0-9]{1,10})?$")
STALE_SECONDS = 3600  # where files cannot be locked, a leftover this old is abandoned

MESSAGES: dict[str, str] = {
    "disk_full": "cannot write '{path}': the disk is full ({free_text} free{needed_text}); "
                 "free some space or choose another folder. Nothing was written",
    "not_permitted": "cannot write '{path}': it is open in another program or the folder is "
                     "read-only; close it or choose another folder. Nothing was written",
    "no_folder": "cannot write '{path}': the folder '{folder}' cannot be used ({reason}); "
                 "choose another folder",
    "check_failed": "cannot write '{path}': the written file did not check out ({reason}); "
                    "nothing was written. Try again, or choose another folder",
    "read_only": "cannot write '{path}': its drive is read-only (a write-protected memory "
                 "stick, a CD, a share without write access); choose another folder. "
                 "Nothing was written",
    "write_failed": "cannot write '{path}': {reason}. Nothing was written",
    "bad_name": "'{name}': {reason}",
    "exists": "'{path}' already exists; choose a new file name",
    # Never written over, whatever the user asked: what is being read, and the database.
    "is_input_file": "'{path}' is the file being read; writing there would destroy it. "
                     "Choose another file name; nothing was written",
    "is_database_file": "'{path}' is the database itself; writing there would destroy it. "
                        "Choose another file name; nothing was written",
}
problems.register(MESSAGES)  # one meaning per code, across the core


class FileNotWritten(Coded):
    """A file (an export, a backup, a report, a certificate...) could not be written;
    nothing was left under its name.

    ``code`` is a key of :data:`MESSAGES`, ``params`` its values; ``str(error)`` is the
    English message.
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(MESSAGES[code].format(**params))



class CheckFailed(Coded):
    """Raised by a check of a written file: what is wrong with it, as a registered ``code``
    and its ``params``; the writer turns it into :class:`FileNotWritten` ``check_failed``,
    which carries it as its ``cause`` (``problems.because``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


problems.register({
    "written_file_empty": "it is empty",
    "written_not_a_workbook": "it is not an Excel workbook",
    "written_workbook_damaged": "the workbook is damaged: {detail}",
    "written_workbook_part_damaged": "the workbook's part {part} is damaged",
    "written_pdf_incomplete": "the PDF is incomplete",
})


def size_text(size: int) -> str:
    """``size`` bytes in words: 512 bytes, 3.2 MB, 1.5 GB."""
    if size < 1024:
        return f"{size} bytes"
    for unit, scale in (("KB", 1024), ("MB", 1024 ** 2), ("GB", 1024 ** 3), ("TB", 1024 ** 4)):
        if size < scale * 1024 or unit == "TB":
            return f"{size / scale:.1f} {unit}"
    raise AssertionError  # pragma: no cover


def free_space(folder: Path) -> int | None:
    """Bytes free for us in ``folder`` (None when the system cannot tell)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_full(path: Path, *, needed: int | None = None,
              about: int | None = None) -> FileNotWritten:
    """The disk of ``path`` is full: its free space now, and what was ``needed`` (exact) or
    ``about`` needed (an estimate), when known."""
    needed_text = f", {size_text(needed)} needed" if needed else \
        f", about {size_text(about)} needed" if about else ""
    return FileNotWritten(
        "disk_full", path=str(path), folder=str(Path(path).parent),
        needed=needed or about, approximate=not needed and bool(about),
        needed_text=needed_text, **free_now(Path(path).parent))


def free_now(folder: Path) -> dict[str, object]:
    """A ``disk_full`` problem's ``free`` and ``free_text``, measured now: again by a caller
    that has since given back space of its own (e.g. closed the database beside it)."""
    free = free_space(folder)
    return {"free": free, "free_text": size_text(free) if free is not None else "unknown space"}


# Libraries written in Rust (the xlsx writer) report an OS error as "... (os error N)", its
# text in the system's language: the number is what can be read. ENOSPC on POSIX; on Windows
# ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112).
_OS_ERROR_DISK_FULL = re.compile(r"\(os error (?:28|39|112)\)")


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` (an OSError or a driver or library error) says the disk is full,
    in whatever language the system words its errors."""
    seen: BaseException | None = error
    while seen is not None:  # the OSError may be the cause of a library's own error
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC,
                                                        getattr(errno, "EDQUOT", -1)):
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(error).lower()
    return ("disk is full" in text or "no space left" in text or "not enough space" in text
            or "database or disk is full" in text or bool(_OS_ERROR_DISK_FULL.search(text)))


def is_partial_name(name: str) -> bool:
    return bool(PARTIAL_NAME.match(name))


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files interrupted writes left in ``folder``; returns them.

    A temporary file another process is still writing is left alone (it holds a lock on
    it; where locks are not available, files changed within the last hour are kept).
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not is_partial_name(name):
            continue
        leftover = Path(folder) / name
        if _abandoned(leftover):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
                for sidecar in ("-journal", "-wal", "-shm"):  # of a SQLite copy
                    with contextlib.suppress(OSError):
                        Path(f"{leftover}{sidecar}").unlink()
    return removed


def _abandoned(leftover: Path) -> bool:
    if fcntl is None:
        try:
            return time.time() - leftover.stat().st_mtime > STALE_SECONDS
        except OSError:
            return False
    try:
        handle = os.open(leftover, os.O_RDONLY)
    except OSError:
        return False
    try:  # a shared lock needs no write access (NFS); the writer's exclusive one refuses it
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer is alive, or the file system cannot tell: keep it
    finally:
        os.close(handle)
    return True


def partial_name(path: Path) -> Path:
    """A new temporary name beside ``path``: ``.<name>.partial-<random><suffix>``."""
    suffix = path.suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", path.suffix) else ""
    stem = path.name[: -len(suffix)] if suffix else path.name
    return path.with_name(f".{stem}{PARTIAL_MARK}{secrets.token_hex(6)}{suffix}")


def write_whole(path: Path, write: Callable[[Path], object], *,
                check: Callable[[Path], None] | None = None, needed: int | None = None,
                overwrite: bool = True, about: int | None = None,
                inputs: Iterable[Path] = ()) -> Path:
    """Write ``path`` whole or not at all; returns ``path``.

    ``write(partial)`` writes the content to the temporary file ``partial`` (it exists,
    empty, when ``write`` is called). The file is then flushed to disk, checked (``check``,
    else :func:`check_by_kind`) and renamed to ``path``. ``needed`` (bytes), when known, is
    compared with the free space first. With ``overwrite=False`` an existing ``path`` is
    refused; one of ``inputs`` (the files the content is read from) always is. ``about``
    (bytes) is an estimate of the size, not checked first but named if the disk fills.
    Raises :class:`FileNotWritten` for a failure of the file system; any other exception
    from ``write`` passes through. Nothing is left behind either way.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise FileNotWritten("no_folder", path=str(path), folder=str(folder),
                           reason="it is a file, not a folder" if folder.exists()
                           else "it does not exist")
    refuse_target(path, overwrite=overwrite, inputs=inputs)
    clean_leftovers(folder)
    if needed is not None:
        free = free_space(folder)
        if free is not None and free < needed:
            raise disk_full(path, needed=needed)
    partial = partial_name(path)
    lock: int | None = None
    try:
        try:
            try:
                lock = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
            except OSError as error:
                raise _failure(path, error, needed, about) from None
            if fcntl is not None:
                with contextlib.suppress(OSError):  # a share without locks: leftovers stay
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # Windows cannot rename a file held open
                os.close(lock)
                lock = None
            write(partial)
            _flush(partial)
            try:
                (check or check_by_kind)(partial)
            except CheckFailed as problem:
                raise FileNotWritten("check_failed", path=str(path),
                                     **problems.because(problem)) from None
            if overwrite:
                os.replace(partial, path)
            else:
                place_new(partial, path)
        finally:
            # First, so that a full disk's free space is measured without the partial file.
            _remove_partial(partial, lock)
    except FileNotWritten:
        raise
    except OSError as error:
        raise _failure(path, error, needed, about) from None
    except Exception as error:
        if is_disk_full(error):
            raise disk_full(path, needed=needed, about=about) from None
        raise
    _flush_folder(folder)
    return path


def _remove_partial(partial: Path, lock: int | None) -> None:
    """Close and remove the temporary file and a SQLite copy's sidecars (the space of a
    file still open is not given back on POSIX, so it is closed first)."""
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)
    if partial.exists() or partial.is_symlink():
        with contextlib.suppress(OSError):
            partial.unlink()
    for sidecar in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{partial}{sidecar}").unlink()


def refuse_target(path: Path, *, overwrite: bool = True, inputs: Iterable[Path] = ()) -> None:
    """Raise :class:`FileNotWritten` when ``path`` may not be written: it is one of
    ``inputs`` (``is_input_file``, whatever the user asked), or it exists and may not be
    overwritten (``exists``). A command calls it before long work, so that a refusal comes
    first; :func:`write_whole` calls it again (and places a new file atomically)."""
    if any(same_file(path, source) for source in inputs):
        raise FileNotWritten("is_input_file", path=str(path))
    if not overwrite and path.exists():
        raise FileNotWritten("exists", path=str(path))


def same_file(path: Path, other: Path) -> bool:
    """Whether ``path`` names the existing file ``other`` (by another spelling, a link, or
    another case on a case-insensitive disk): writing it would replace ``other``."""
    try:
        return os.path.samefile(path, other)
    except OSError:  # either is missing (a new name) or unreadable: not the same file
        return False


# What os.link raises where a file system has no hard links (FAT and exFAT memory sticks,
# some network shares): EPERM on Linux, ENOTSUP/EOPNOTSUPP elsewhere, ERROR_INVALID_FUNCTION
# (EINVAL) on Windows; EMLINK/ENOSYS for the odd driver.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EINVAL,
                            errno.EMLINK, errno.ENOSYS})


def place_new(partial: Path, path: Path) -> None:
    """Give the finished ``partial`` the name ``path`` only if no file has it, in one step:
    checking first and renaming after would overwrite a file another process created in
    between. ``os.link`` fails when the name exists; the temporary name is then removed.

    Without hard links (FAT memory sticks, some shares): on Windows ``os.rename`` refuses an
    existing name by itself; on POSIX the name is claimed by creating it exclusively
    (``O_EXCL``), then the file replaces that empty claim (only a crash in that instant can
    leave an empty file under the name, never someone else's file overwritten).
    """
    try:
        os.link(partial, path)
    except FileExistsError:
        raise FileNotWritten("exists", path=str(path)) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS and getattr(error, "winerror", None) != 1:
            raise
        _place_without_links(partial, path)
        return
    os.unlink(partial)


def _place_without_links(partial: Path, path: Path) -> None:
    if os.name == "nt":
        try:
            os.rename(partial, path)  # Windows refuses to rename onto an existing name
        except FileExistsError:
            raise FileNotWritten("exists", path=str(path)) from None
        return
    try:
        claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise FileNotWritten("exists", path=str(path)) from None
    os.close(claim)
    try:
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)  # our own empty claim, nobody else's file
        raise


def _failure(path: Path, error: OSError, needed: int | None,
             about: int | None = None) -> FileNotWritten:
    if is_disk_full(error):
        return disk_full(path, needed=needed, about=about)
    if isinstance(error, PermissionError):
        return FileNotWritten("not_permitted", path=str(path))
    if error.errno == errno.EROFS:
        return FileNotWritten("read_only", path=str(path))
    return FileNotWritten("write_failed", path=str(path), reason=error.strerror or str(error))


def _flush(path: Path) -> None:
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows flushes names with the file)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def check_by_kind(path: Path) -> None:
    """A written file's check by its suffix: a workbook is a sound zip with its content
    types, a PDF has its header and end marker, any other file is not empty."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size == 0:
        raise CheckFailed("written_file_empty")
    if suffix in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "[Content_Types].xml" not in archive.namelist():
                    raise CheckFailed("written_not_a_workbook")
                damaged = archive.testzip()
        except zipfile.BadZipFile as error:
            raise CheckFailed("written_workbook_damaged", detail=str(error)) from None
        if damaged is not None:
            raise CheckFailed("written_workbook_part_damaged", part=damaged)
    elif suffix == ".pdf":
        with open(path, "rb") as handle:
            head = handle.read(5)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
        if head != b"%PDF-" or b"%%EOF" not in tail:
            raise CheckFailed("written_pdf_incomplete")
