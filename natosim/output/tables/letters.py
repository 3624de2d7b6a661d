"""The letters that name the scenarios of a comparison: A (the baseline), B, C, …"""

from __future__ import annotations

import string


def letter(index: int) -> str:
    """``A`` for the first scenario, ``B`` for the second, …, then ``A2``, ``B2``, …"""
    letters = string.ascii_uppercase
    return letters[index % 26] + (str(index // 26 + 1) if index >= 26 else "")
