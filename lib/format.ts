// Dates as every Keyport page shows them: fixed locale and UTC, so server and browser agree.
export function formatWhen(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return `${date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
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
