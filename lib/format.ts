// Dates as every Keyport page shows them: one format, in UTC, built by hand so the server, the
// browser and every Node/ICU version print the same characters ("29 Nov 2026, 14:05 UTC").
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "29 Nov 2026, 14:05 UTC" — a moment. */
export function formatWhen(value: Date | string): string {
  const date = toDate(value);
  return `${formatDay(date)}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** "29 Nov 2026" — a day (UTC), for lists where the time of day is noise. */
export function formatDay(value: Date | string): string {
  const date = toDate(value);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "in 1 h 58 min", "3 min ago". */
export function relative(value: Date, now = Date.now()): string {
  const minutes = Math.round((value.getTime() - now) / 60_000);
  const abs = Math.abs(minutes);
  const text = abs < 60 ? `${abs} min` : abs < 48 * 60 ? `${Math.floor(abs / 60)} h ${abs % 60} min` : `${Math.round(abs / (24 * 60))} days`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

export function expiry(value: Date, now = Date.now()): { expired: boolean; text: string } {
  return { expired: value.getTime() <= now, text: relative(value, now) };
}

function toDate(value: Date | string): Date {
  return typeof value === "string" ? new Date(value) : value;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
