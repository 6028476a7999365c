// The client's address as the throttle sees it. Behind a reverse proxy the first X-Forwarded-For
// hop is the client; without one, Next sets the header from the socket itself.
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
