"""The checks a build runs on what it made, each in a module its name promises: layout.py (every text on its
page), pages.py (the safe area), glyphs.py (every character in a face of its family), charts.py (chart colours
told apart, one colour per region), stats.py (the stats of a row or panel built one way). The read-back of a
written PDF is check.py (`highlight check`), the preflight preflight.py, the typography report
typography.py, English–Chinese agreement parity.py."""
