"""A spreadsheet value as Excel displays it under the cell's number format.

Read by the importer (a finance bureau's .xlsx shows its figures through their
formats) and by the downloads (a printed figure is stored as a number only when
its format shows it exactly as printed).

openpyxl gives the stored value (238.93000000000001, 1.0, a datetime) and the
format string (`0.00`, `#,##0.00`, `0.00%`, `yyyy"年"m"月"d"日"`); the forms
print what Excel shows, so :func:`display` applies the format: decimals,
thousands separators, percent, quoted literals, colours and the sections of a
`positive;negative;zero;text` format, and the date formats finance bureaus
use. Numbers are rounded as Excel rounds them (half away from zero on the
shortest decimal form of the stored double), never shown as a float repr.

:func:`coordinate` names a cell as Excel does (B7): the importer's messages
and the downloads' sheets spell cells with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Context, ROUND_HALF_UP, Decimal

GENERAL_DIGITS = 15  # Excel keeps 15 significant digits

_BRACKET = re.compile(r"\[[^\]]*\]")  # [Red], [$-804], [DBNum1]; elapsed-time brackets are not used in these forms
_DATE_TOKEN = re.compile(r"(yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p)", re.IGNORECASE)
_WEEKDAYS = "一二三四五六日"


def display(value, number_format: str | None = "General") -> str:
    """What a cell holding `value` shows under `number_format`."""
    if value is None:
        return ""
    # \x00 and \x01 mark quoted literals below: a format read from a damaged file may hold them
    fmt = (number_format or "General").replace("\x00", "").replace("\x01", "") or "General"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _date(value, fmt)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():  # a number too large for a cell (1e309), or not one: Excel shows an error
            return "#NUM!"
        return _number(number, fmt)
    text = str(value)
    sections = _sections(fmt)
    if len(sections) == 4 and "@" in sections[3]:
        return _literals(sections[3]).replace("@", text)
    return text


def general(number: Decimal) -> str:
    """A number in the General format: up to 15 significant digits, no exponent, no trailing zeros."""
    if number.is_nan() or number.is_infinite():
        return str(number)
    if number == 0:
        return "0"
    rounded = number.quantize(Decimal(1).scaleb(number.adjusted() - GENERAL_DIGITS + 1), rounding=ROUND_HALF_UP)
    text = format(rounded.normalize(), "f")
    return text


def _sections(fmt: str) -> list[str]:
    sections, current, quoted, escaped = [], "", False, False
    for ch in fmt:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\":
            current += ch
            escaped = True
        elif ch == '"':
            current += ch
            quoted = not quoted
        elif ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    sections.append(current)
    return sections


def _literals(section: str) -> str:
    """A section with its layout codes removed: colours, padding (_x), fill (*x); quotes and escapes resolved."""
    out, index = [], 0
    section = _BRACKET.sub("", section)
    while index < len(section):
        ch = section[index]
        if ch == '"':
            end = section.find('"', index + 1)
            end = len(section) if end < 0 else end
            out.append("\x00" + section[index + 1:end] + "\x01")
            index = end + 1
        elif ch == "\\" and index + 1 < len(section):
            out.append("\x00" + section[index + 1] + "\x01")
            index += 2
        elif ch in "_*" and index + 1 < len(section):
            index += 2  # padding and fill characters take room on screen, not text
        else:
            out.append(ch)
            index += 1
    return "".join(out)


def _is_general(section: str) -> bool:
    return _BRACKET.sub("", section).strip().lower() in ("general", "")


def _number(number: Decimal, fmt: str) -> str:
    sections = _sections(fmt)
    if len(sections) >= 3 and number == 0:
        section, signed = sections[2], False
    elif len(sections) >= 2 and number < 0:
        section, signed = sections[1], False
        number = -number
    else:
        section, signed = sections[0], True
    if _is_general(section):
        return general(number) if signed else general(number).lstrip("-")
    if "@" in section and not re.search(r"[0#?]", _strip_literals(section)):
        return general(number)
    if _DATE_TOKEN.search(_strip_literals(section)) and not re.search(r"[0#?]", _strip_literals(section)):
        serial = number if signed else -number  # the negatives' own section has taken the sign off
        if serial < 0:  # before Excel's first day: it prints ####, no date; the number as stored
            return general(serial)
        try:
            moment = _from_serial(number)
        except (OverflowError, ValueError):  # no date (beyond the year 9999: Excel prints ####): the number
            return general(number)
        return _date(moment, section)
    body = _literals(section)
    plain = re.sub("\x00.*?\x01", "", body, flags=re.S)
    if not re.search(r"[0#?]", plain):  # a section of literals only, such as "-" for zero
        return _unquote(body).strip()
    scientific = _SCIENTIFIC.search(plain)
    if scientific:
        return _scientific(number, plain[:scientific.start()], scientific.group(1), scientific.group(2), signed)
    return _place(number, body, plain, signed)


_SCIENTIFIC = re.compile(r"[Ee]([+-])([0#?]+)")


def _scientific(number: Decimal, mantissa: str, sign: str, exponent: str, signed: bool) -> str:
    """`number` under a scientific format such as 0.00E+00 (1.23E+07): the mantissa's integer placeholders
    say how many digits it keeps before the point (##0.0E+0, engineering: exponents in steps of three)."""
    whole, _, fraction = mantissa.partition(".")
    step = max(1, sum(1 for ch in whole if ch in "0#?"))
    decimals = sum(1 for ch in fraction if ch in "0#?")
    magnitude = abs(number)
    power = 0
    if magnitude:
        adjusted = magnitude.adjusted()
        power = adjusted - adjusted % step if step > 1 else adjusted
    for _ in range(2):  # rounding 9.995 up to 10.00 moves the point once more
        shown = magnitude.scaleb(-power).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if magnitude and shown >= Decimal(10) ** step:
            power += step
            continue
        break
    digits = format(shown, "f")
    exponent_text = f"{abs(power):0{len(exponent)}d}"
    exponent_sign = "-" if power < 0 else ("+" if sign == "+" else "")
    negative = signed and number < 0 and shown != 0
    return ("-" if negative else "") + digits + "E" + exponent_sign + exponent_text


def _strip_literals(section: str) -> str:
    return re.sub("\x00.*?\x01", "", _literals(section), flags=re.S)


def _unquote(body: str) -> str:
    return body.replace("\x00", "").replace("\x01", "")


def _place(number: Decimal, body: str, plain: str, signed: bool) -> str:
    """Fill the digit placeholders of `body` with `number`."""
    first = min(plain.find(ch) for ch in "0#?" if ch in plain)
    start = _position(body, first)
    last = max(plain.rfind(ch) for ch in "0#?,." if ch in plain)
    end = _position(body, last) + 1
    pattern = body[start:end]
    clean = _unquote(pattern).replace("\x00", "")
    percent = plain.count("%")
    scaled = number * (Decimal(100) ** percent)
    integer_part, _, decimal_part = clean.partition(".")
    # commas after the last digit placeholder divide by a thousand each: #,##0, and #,##0.00, show thousands
    if decimal_part:
        trailing_commas = len(decimal_part) - len(decimal_part.rstrip(","))
        decimal_part = decimal_part.rstrip(",")
    else:
        trailing_commas = len(integer_part) - len(integer_part.rstrip(","))
        integer_part = integer_part.rstrip(",")
    scaled /= Decimal(1000) ** trailing_commas
    placeholders = [ch for ch in decimal_part if ch in "0#?"]
    decimals = len(placeholders)
    required = max((i + 1 for i, ch in enumerate(placeholders) if ch == "0"), default=0)
    grouping = "," in integer_part.strip(",")
    minimum = integer_part.count("0")  # "?" pads with spaces, which a text value does not keep
    # enough digits for the whole number: the default 28 refuse (InvalidOperation) a figure of 30 digits
    precision = Context(prec=max(28, scaled.adjusted() + decimals + 2))
    rounded = abs(scaled).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=precision)
    whole, _, fraction = format(rounded, "f").partition(".")
    while len(fraction) > required and fraction.endswith("0"):
        fraction = fraction[:-1]
    if whole == "0" and minimum == 0:
        whole = ""
    whole = whole.rjust(minimum, "0")
    if grouping and whole:
        whole = f"{int(whole):,}"
    digits = whole + ("." + fraction if "." in clean else "")
    negative = signed and scaled < 0 and rounded != 0
    prefix, suffix = _unquote(body[:start]), _unquote(body[end:])
    return (("-" if negative else "") + prefix + digits + suffix).strip()


def _position(body: str, plain_index: int) -> int:
    """The index in `body` (with \\x00…\\x01 literals) of the `plain_index`-th character outside literals."""
    seen, inside = -1, False
    for index, ch in enumerate(body):
        if ch == "\x00":
            inside = True
            continue
        if ch == "\x01":
            inside = False
            continue
        if not inside:
            seen += 1
            if seen == plain_index:
                return index
    return len(body)


# --- dates ---------------------------------------------------------------------------------


def _from_serial(number: Decimal) -> dt.datetime:
    """Excel's 1900 date system: serial 1 is 1900-01-01, with the phantom 1900-02-29."""
    days = float(number)
    base = dt.datetime(1899, 12, 30) if days >= 61 else dt.datetime(1899, 12, 31)
    return base + dt.timedelta(days=days)


def _date(value, fmt: str) -> str:
    section = _sections(fmt)[0]
    if _is_general(section) or re.search(r"[0#]", _strip_literals(section)):
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return value.isoformat()
    body = _literals(section)
    out, index, last_was_hour = [], 0, False
    tokens = []
    while index < len(body):
        if body[index] == "\x00":
            end = body.index("\x01", index)
            tokens.append(("literal", body[index + 1:end]))
            index = end + 1
            continue
        match = _DATE_TOKEN.match(body, index)
        if match:
            tokens.append(("token", match.group(0)))
            index = match.end()
        else:
            tokens.append(("literal", body[index]))
            index += 1
    twelve_hour = any(kind == "token" and text.lower() in ("am/pm", "a/p") for kind, text in tokens)
    for position, (kind, text) in enumerate(tokens):
        if kind == "literal":
            out.append(text)
            continue
        lower = text.lower()
        following = [t.lower() for k, t in tokens[position + 1:] if k == "token"]
        minutes = lower in ("m", "mm") and (last_was_hour or (following and following[0] in ("s", "ss")))
        out.append(_date_part(value, lower, minutes, twelve_hour))
        last_was_hour = lower in ("h", "hh")
    return "".join(out)


def _date_part(value, token: str, minutes: bool, twelve_hour: bool) -> str:
    date = value if isinstance(value, (dt.date, dt.datetime)) else None
    clock = value if isinstance(value, (dt.time, dt.datetime)) else None
    if minutes:
        return f"{clock.minute:0{len(token)}d}" if clock else "00"
    if token in ("yyyy", "yy") and date:
        return f"{date.year:04d}" if token == "yyyy" else f"{date.year % 100:02d}"
    if token in ("m", "mm") and date:
        return f"{date.month:0{len(token)}d}"
    if token in ("mmm", "mmmm") and date:
        return f"{date.month}月"
    if token in ("d", "dd") and date:
        return f"{date.day:0{len(token)}d}"
    if token in ("ddd", "dddd") and date:
        return ("周" if token == "ddd" else "星期") + _WEEKDAYS[date.weekday()]
    if token in ("h", "hh"):
        hour = clock.hour if clock else 0
        if twelve_hour:
            hour = hour % 12 or 12
        return f"{hour:0{len(token)}d}"
    if token in ("s", "ss"):
        return f"{clock.second if clock else 0:0{len(token)}d}"
    if token in ("am/pm", "a/p"):
        morning = (clock.hour if clock else 0) < 12
        return ("上午" if morning else "下午") if token == "am/pm" else ("a" if morning else "p")
    return token


def coordinate(row: int, column: int) -> str:
    """Excel's name of a cell, both counted from 1: (7, 2) → "B7", (1, 28) → "AB1"."""
    return f"{_column_letters(column)}{row}"


@functools.lru_cache(maxsize=4096)  # a sheet names the same few columns in every row
def _column_letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
