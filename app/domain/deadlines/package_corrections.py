"""Days the `holidays` package lists wrongly, corrected for every authority before its own
corrections (docs/uk-foi-rules.md, counting rule 5). Data, each with its source.

The Banking and Financial Dealings Act 1971, Schedule 1, moves a Scottish 1 or 2 January only when
it falls on a Sunday (to 3 January). A Saturday 2 January becomes a Monday holiday only if a royal
proclamation appoints one. The package substitutes every Saturday 2 January. Checked:

- 4 January 2010 (2 January a Saturday) and 4 January 2011 (1 January a Saturday, 2 January a
  Sunday, so 3 January is the statutory day): no proclamation was made, as the Scottish Government
  confirmed through the Privy Council Office, the Crown Office and the Edinburgh Gazette in January
  2014 (reported by Matthew Somerville, "Bad Bank Holidays", dracos.co.uk/wrote/bad-bank-holidays,
  who had the GOV.UK list corrected). Removed below.
- 4 January 2005: the 2004 proclamation for Scotland appoints Tuesday 4 January 2005 in place of
  Saturday 1 January (same source). Kept.
- 4 January 2016, 2021 and 2027 ("2nd January (substitute day)"): on GOV.UK's list of Scottish
  bank holidays, which follows the proclamations. Kept.
- 1993, 1994, 1999 and 2000: no proclamation found either way; kept as the package has them (an
  authority can remove one on the calendar page, with its reason).
"""

from __future__ import annotations

from datetime import date

SOURCE = "no royal proclamation (Scottish Government, 2014; dracos.co.uk/wrote/bad-bank-holidays)"

# (day, nation, why): days to remove from the package's list for that nation
REMOVED: tuple[tuple[date, str, str], ...] = (
    (date(2010, 1, 4), "SCT", f"a Saturday 2 January is not moved without a proclamation: {SOURCE}"),
    (date(2011, 1, 4), "SCT", f"2 January was a Sunday, moved to 3 January by the 1971 Act; 4 January had {SOURCE}"),
)

# Part of every calendar's version: a stored due date says which set of corrections it came from.
VERSION = "p1"
