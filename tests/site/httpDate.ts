// RFC 9110 §5.6.7: senders use IMF-fixdate; recipients must also accept the
// obsolete RFC 850 and asctime forms. Date.parse() accepts far more than
// that ("2024", "tomorrow-ish" strings), so an invalid date sent by a test
// would be honoured; these patterns accept exactly the three forms.
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ms` (since the epoch) as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Milliseconds since the epoch of a valid HTTP-date, or undefined for anything else. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined)
    return undefined;
  const text = value.trim();
  let parts: { day: string; month: string; year: number; time: string[] } | undefined;
  let match = IMF_FIXDATE.exec(text);
  if (match)
    parts = { day: match[1]!, month: match[2]!, year: Number(match[3]), time: match.slice(4, 7) };
  else if ((match = RFC_850.exec(text))) {
    // Two-digit years: RFC 9110 says to pick the most recent past century
    // that is not more than 50 years ahead; 1970–2069 is that here.
    const yy = Number(match[3]);
    parts = { day: match[1]!, month: match[2]!, year: yy < 70 ? 2000 + yy : 1900 + yy, time: match.slice(4, 7) };
  } else if ((match = ASCTIME.exec(text)))
    parts = { day: match[2]!.trim(), month: match[1]!, year: Number(match[6]), time: match.slice(3, 6) };
  if (!parts)
    return undefined;
  const [hours, minutes, seconds] = parts.time.map(Number) as [number, number, number];
  const day = Number(parts.day);
  const month = MONTHS.indexOf(parts.month);
  if (hours > 23 || minutes > 59 || seconds > 60)
    return undefined;
  const ms = Date.UTC(parts.year, month, day, hours, minutes, Math.min(seconds, 59));
  // Date.UTC rolls 31 Feb over into March; a real date must round-trip.
  if (new Date(ms).getUTCDate() !== day)
    return undefined;
  return ms;
}

/** `ms` rounded down to a whole second, the resolution of an HTTP-date. */
export function toWholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
