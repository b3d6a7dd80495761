"""Helpers of scripts/make-corpus: synthetic Vietnamese civil-status register pages.

One module per concern: refdata (names, places, ethnic groups), records
(internally consistent entries and their written forms), render (fonts, text,
handwriting, stamps), ledger and form (page layouts), degrade (scan / photo).
"""
