// Does a post's text contain a link, the way X's autolinker would see it? It decides "Content:
// Create with a URL" ($0.200) over "Content: Create" ($0.015). A small model of twitter-text's
// rules (their behaviour, not their code), enough for tests and the demo:
// - `http://` or `https://` then a dotted host ending in letters: a link (any port, path, query).
//   `http://localhost` and IP addresses are not (X does not link them either).
// - A bare domain (example.com, www.example.co.uk, blog.example.org/post) whose last label is a
//   generic TLD from GENERIC_TLDS below or any two-letter (country) code, not glued to a word and
//   not right after @ $ # (so an email address's domain is no link) nor after - _ . /.
// - A bare `name.cc` on a country code counts only with a path (example.de/x) or a subdomain
//   (www.example.de); .co and .tv count alone, as in twitter-text. So "config.py" is no link.
// Not modelled: internationalised domains and the long tail of newer generic TLDs written
// without a scheme (a bare "example.museum" is not counted; "https://example.museum" is).

const GENERIC_TLDS = new Set([
  "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "aero", "jobs", "travel",
  "app", "dev", "page", "xyz", "online", "site", "website", "store", "shop", "tech", "blog", "news", "link", "live",
  "club", "top", "cloud", "email", "art", "design", "studio", "agency", "media", "digital", "world", "today",
  "space", "social", "company", "solutions", "services", "network", "systems", "group", "team", "works", "life",
  "photo", "photos", "video", "music", "games", "wiki", "academy", "events", "community", "fun", "ltd",
]);
const SPECIAL_COUNTRY_TLDS = new Set(["co", "tv"]);

const LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
// The last label is captured separately; the lookahead stops "example.comx" from counting as .com.
const WITH_SCHEME = new RegExp(`(?<![a-z0-9@＠$#＃])https?://(?:${LABEL}\\.)+[a-z]{2,63}(?![a-z0-9-])`, "i");
const BARE = new RegExp(`(?<![a-z0-9@＠$#＃_./-])((?:${LABEL}\\.)+)([a-z]{2,63})(?![a-z0-9@+-])(?::\\d{1,5})?(/)?`, "gi");

export function containsUrl(text: string): boolean {
  if (WITH_SCHEME.test(text)) return true;
  for (const match of text.matchAll(BARE)) {
    const [, names, tld, slash] = match;
    const topLevel = tld!.toLowerCase();
    if (GENERIC_TLDS.has(topLevel)) return true;
    if (topLevel.length !== 2) continue;
    const labels = names!.split(".").length - 1;
    if (labels > 1 || slash || SPECIAL_COUNTRY_TLDS.has(topLevel)) return true;
  }
  return false;
}
