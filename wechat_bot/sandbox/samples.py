"""Small real media files, built at import: what the emulator serves for media it issued itself.

The photo is a baseline JFIF of one colour, which needs no DCT: every 8×8 block is its DC term
alone, so the scan is a few Huffman codes. Any decoder (PIL, browsers, `file`) reads it as an
ordinary photo. The voice message is one second of AMR-NB "no data" frames, the format WeChat
gives for voice.
"""
from __future__ import annotations

QUANT = 8  # one quantisation step for every coefficient: DC / 8 is then the block's mean


def build_jpeg(width: int = 64, height: int = 48, rgb: tuple = (242, 153, 74)) -> bytes:
    """A width × height (multiples of 8) baseline JPEG filled with one colour."""
    dc = [round(level - 128) for level in _ycbcr(*rgb)]  # level-shifted means, as DC / QUANT
    categories = sorted({0} | {_category(value) for value in dc})
    blocks = (width // 8) * (height // 8)
    return b"".join([b"\xff\xd8", _jfif(), _quant_table(), _frame(width, height),
                     _huffman_tables(categories), _scan_header(),
                     _scan(dc, categories, blocks), b"\xff\xd9"])


def _ycbcr(red: int, green: int, blue: int) -> tuple:
    return (0.299 * red + 0.587 * green + 0.114 * blue,
            128 - 0.168736 * red - 0.331264 * green + 0.5 * blue,
            128 + 0.5 * red - 0.418688 * green - 0.081312 * blue)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _jfif() -> bytes:
    return _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def _quant_table() -> bytes:
    return _segment(0xDB, bytes([0]) + bytes([QUANT] * 64))


def _frame(width: int, height: int) -> bytes:
    """SOF0: 8-bit, three components (Y, Cb, Cr) at full resolution, all on table 0."""
    size = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return _segment(0xC0, b"\x08" + size + b"\x03" + b"".join(
        bytes([component, 0x11, 0]) for component in (1, 2, 3)))


def _huffman_tables(categories: list) -> bytes:
    """DC table: category i-th gets an (i+1)-bit code. AC table: end-of-block only, code 0."""
    dc_counts = bytes([1] * len(categories) + [0] * (16 - len(categories)))
    ac_counts = bytes([1] + [0] * 15)
    return _segment(0xC4, b"\x00" + dc_counts + bytes(categories) + b"\x10" + ac_counts + b"\x00")


def _scan_header() -> bytes:
    return _segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")


def _category(value: int) -> int:
    return abs(value).bit_length()


def _scan(dc: list, categories: list, blocks: int) -> bytes:
    """Each block: the DC difference (code + bits), then end-of-block; pad with 1s, stuff 0xFF."""
    bits, previous = [], [0, 0, 0]
    for _ in range(blocks):
        for component, value in enumerate(dc):
            diff, previous[component] = value - previous[component], value
            category = _category(diff)
            bits += "1" * categories.index(category) + "0"  # canonical code for that category
            if category:
                bits += format(diff if diff > 0 else diff + (1 << category) - 1, f"0{category}b")
            bits += "0"  # end of block: every AC coefficient is zero
    bits += "1" * (-len(bits) % 8)
    data = bytes(int("".join(bits[i:i + 8]), 2) for i in range(0, len(bits), 8))
    return data.replace(b"\xff", b"\xff\x00")


SAMPLE_JPEG = build_jpeg()
SAMPLE_AMR = b"#!AMR\n" + b"\x7c" * 50  # 50 frames of 20 ms, frame type 15 (no data)
SAMPLES = {"image": (SAMPLE_JPEG, "image/jpeg"), "voice": (SAMPLE_AMR, "audio/amr")}
