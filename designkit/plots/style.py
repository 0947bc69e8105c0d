"""The kit's font style: Latin text in DejaVu Sans, Chinese characters from an installed CJK font.

matplotlib draws Chinese as empty boxes (and warns "Glyph … missing from font(s) DejaVu Sans") unless a CJK
font is in the *family list* of the text: since matplotlib 3.6 it takes each glyph from the first family in
that list that has it. :func:`apply` puts the CJK families that matplotlib finds on this machine after
DejaVu Sans, in ``font.family`` and ``font.sans-serif``, so kit figures and a student's own ``plt`` charts
both render Chinese. Nothing changes for English text: DejaVu Sans comes first and has every Latin glyph.

When the course language is Chinese and no CJK font is installed, :func:`check_cjk` says so once, with the
command that installs one, instead of drawing boxes silently.

>>> set(cjk_families()) <= set(CJK_CANDIDATES)
True
>>> apply()[0]
'DejaVu Sans'
"""
from __future__ import annotations

import functools
import warnings

import matplotlib as mpl

from designkit.i18n import _, lang

#: CJK families in order of preference: Noto/Source Han (Linux, ``fonts-noto-cjk``), WenQuanYi (older Linux),
#: Microsoft YaHei and SimHei (Windows), PingFang (macOS). matplotlib names a .ttc by its first face, so the
#: Noto CJK collection may appear as "Noto Sans CJK JP": its Chinese glyphs are the same collection's.
CJK_CANDIDATES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC",
                  "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
                  "PingFang SC", "Heiti SC", "SimHei", "Arial Unicode MS")
LATIN = "DejaVu Sans"


class CJKFontMissing(UserWarning):
    """The course is in Chinese but matplotlib finds no font with Chinese characters."""


@functools.cache
def cjk_families() -> tuple[str, ...]:
    """The CJK families among :data:`CJK_CANDIDATES` that matplotlib finds here (maybe none)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_CANDIDATES if name in installed)


def families() -> list[str]:
    """The kit's font family list: DejaVu Sans first, then the first CJK family found (the glyph fallback).

    >>> families()[0]
    'DejaVu Sans'
    """
    found = cjk_families()
    return [LATIN, *found[:1]]  # one CJK family is enough: the fallback is per glyph


def apply() -> list[str]:
    """Put the CJK families found after DejaVu Sans in ``font.family`` and ``font.sans-serif`` (idempotent).

    A ``font.family`` the user chose (anything but matplotlib's default sans-serif, or a list this function
    set) is left alone. Returns the family list now in force.
    """
    wanted = families()
    current = list(mpl.rcParams["font.family"])
    if current in (["sans-serif"], wanted[:1]) or current[:1] == [LATIN] and set(current) <= {LATIN, *CJK_CANDIDATES}:
        mpl.rcParams["font.family"] = wanted
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in wanted]
    mpl.rcParams["font.sans-serif"] = [*wanted, *rest]
    return list(mpl.rcParams["font.family"])


_warned: list[bool] = []


def install_hint() -> str:
    """How to install a CJK font, in the course language."""
    return _("Chinese text in figures needs a font with Chinese characters, and matplotlib finds none on this "
             "computer, so Chinese would show as empty boxes. On Debian or Ubuntu install one with "
             "`sudo apt-get install fonts-noto-cjk`, then delete matplotlib's font cache (`rm -rf "
             "~/.cache/matplotlib`) and restart the kernel. macOS and Windows include one (PingFang SC, "
             "Microsoft YaHei): if you see this there, tell your instructor.")


def check_cjk() -> bool:
    """Whether Chinese can be drawn; under ``zh-CN`` with no CJK font, warn once (:class:`CJKFontMissing`)."""
    if cjk_families():
        return True
    if lang() == "zh-CN" and not _warned:
        _warned.append(True)
        warnings.warn(install_hint(), CJKFontMissing, stacklevel=3)
    return False
