"""The units the layers share: the layout works in PostScript points, the files speak millimetres."""
from __future__ import annotations

MM = 72.0 / 25.4  # points per millimetre
