"""Reading a mapped suffix array's binary-search probes from its files (see `Probes`)."""

from __future__ import annotations

import contextlib
import os
import sys
import weakref
from collections.abc import Callable

import numpy as np


class Probes:
    """The suffix array's and the codes' files, read by offset for a binary search's probes.

    Each probe of a mapped array faults in its page, and the kernel maps a whole large folio of the
    page cache around it (megabytes on this machine): the two dozen probes of one lookup added ~60 MB
    to a shell search's resident memory. Read with pread, the bytes come from the same page cache and
    nothing is mapped; the browser warms the maps and searches them directly (`SuffixText.probes`).
    """

    def __init__(self, sa: tuple[int, int], codes: tuple[int, int], width: int) -> None:
        (self._sa, self._sa_at), (self._codes, self._codes_at) = sa, codes
        self._width = width

    @classmethod
    def of(cls, sa: np.ndarray, codes: np.ndarray) -> Probes | None:
        """For arrays mapped from .npy files (np.load's memmap: its file and where the data starts)."""
        if not all(isinstance(a, np.memmap) and a.filename for a in (sa, codes)) or sa.dtype != np.int32:
            return None
        fds = [os.open(a.filename, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)) for a in (sa, codes)]
        probes = cls((fds[0], int(sa.offset)), (fds[1], int(codes.offset)), codes.dtype.itemsize)
        weakref.finalize(probes, _close, fds)
        return probes

    def head(self, width: int) -> Callable[[int], bytes]:
        """`width` bytes of codes at the suffix ranked i, as `find_range` compares them."""
        sa, sa_at, codes, codes_at, size = self._sa, self._sa_at, self._codes, self._codes_at, self._width

        def head(i: int) -> bytes:
            p = int.from_bytes(os.pread(sa, 4, sa_at + 4 * i), sys.byteorder, signed=True)
            return os.pread(codes, width, codes_at + size * p)

        return head


def _close(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
