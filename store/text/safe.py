"""Control characters, escape sequences and invisible characters: the one place that says which they
are, what cleaning removes and what output must escape so that text from outside cannot drive a terminal.
"""

from __future__ import annotations

import re

# A file that decodes but is mostly these is binary, not a report (tab, newlines and form feed allowed).
BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters that take no room and change nothing a reader sees; cleaning drops them.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# U+0090 once took everything after it: a 2,674-character report came out as 799.
_TERMINATED = r"[ -~]*(?:\x07|\x1b\\|\x9c)"
_ESCAPES = re.compile(
    rf"(?:\x1b\]|\x9d)(?:{_TERMINATED}|[0-?]*)"  # OSC … BEL/ST (clipboard, titles, links)
    rf"|(?:\x1bP|\x90)(?:{_TERMINATED}|[0-?]*[ -/]*[@-~]?)"  # DCS
    rf"|(?:\x1b[X^_]|[\x98\x9e\x9f])(?:{_TERMINATED})?"  # SOS, PM, APC strings
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI sequences, 7- and 8-bit
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


_CONTROLS = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters except newlines; tabs become spaces."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text).replace("\t", " "))


# What must never reach a terminal as it is: C0 controls but the newline, DEL and C1 (escape sequences
# start with them), bidi overrides and marks (text that reads in another order than it is stored), the
# zero-width characters (invisible differences), and lone surrogates: the bytes of a file name that is
# not UTF-8, as Python decodes it (os.fsdecode's surrogateescape, U+DC80..U+DCFF for bytes 0x80..0xFF).
_INVISIBLE = ZERO_WIDTH + "\u200e\u200f\u061c"
_UNSAFE = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_INVISIBLE}\ud800-\udfff]")


def shown_character(ch: str) -> str:
    """One unsafe character as `cat -v` would show it: `^[` for a C0 control, `\\xff` for a byte of a
    file name that is not UTF-8, `<U+202E>` for any other."""
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def terminal_safe(text: str, *, same_length: bool = False) -> str:
    """Text from outside (a document, a file or store name, an id, an error quoting one) made safe to
    print: nothing in it can move the cursor, set the clipboard, retitle the terminal or reorder what
    is shown. Every unsafe character is shown escaped, as `cat -v` would (`^[]52;c;…^G`, `<U+202E>`,
    `bad\\xff.txt`), so a hostile name is seen for what it is; line ends stay, a tab is a space.

    `same_length` puts one U+FFFD in place of each instead, for panes whose hits are character offsets.
    """
    text = text.replace("\t", " ")
    if same_length:
        return _UNSAFE.sub("\ufffd", text)
    return _UNSAFE.sub(lambda m: shown_character(m.group()), text.replace("\r\n", "\n"))


def json_safe(json_text: str) -> str:
    """JSON text with each unsafe character written as a `\\u` escape (as `ensure_ascii` would, for those
    code points only: Hanzi stay readable). A lone surrogate, a file name's non-UTF-8 byte, then reads
    back as the same surrogate (`os.fsencode` gives the original bytes) instead of failing to encode.
    json.dumps has already escaped C0 controls, and an unsafe character can only be inside a string."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
