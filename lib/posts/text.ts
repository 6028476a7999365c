// X's weighted length of a post, by X's own rules (twitter-text, configuration v3): 280 units,
// every URL counts 23 whatever its length, CJK characters and emoji count 2. The API's check and
// the composer's counter both call weighPost, so they can never disagree. No server imports:
// the composer bundles this file.
import twitterText from "twitter-text";
import type { ParseTweetOptions } from "twitter-text";

export { MAX_WEIGHTED_LENGTH } from "./max-length";

/** What X bills for the post (contract §8): a plain post, or one with a URL (about 13 times as much). */
export type CostClass = "standard" | "url";

export type PostWeight = {
  weightedLength: number;
  /** weightedLength ≤ 280 and no character X refuses. */
  valid: boolean;
  /** The links X will shorten to 23 characters each (and bill as "Content: Create with a URL"). */
  urls: string[];
  costClass: CostClass;
  /** Distinct characters outside links that count 2 (CJK, emoji), at most 12 for display. */
  doubled: string[];
};

// The package's types omit `configs`; v3 is the configuration X uses today (emoji count 2 each).
const V3 = (twitterText as unknown as { configs: { version3: ParseTweetOptions } }).configs.version3;

export function weighPost(text: string): PostWeight {
  const parsed = twitterText.parseTweet(text, V3);
  const urls = twitterText.extractUrlsWithIndices(text);
  return {
    weightedLength: parsed.weightedLength,
    valid: parsed.valid && text.trim().length > 0,
    urls: urls.map((u) => u.url),
    costClass: urls.length > 0 ? "url" : "standard",
    doubled: doubledCharacters(text, urls.map((u) => u.indices)),
  };
}

/** The cost class alone (what the API stores and reports per post). */
export function costClassOf(text: string): CostClass {
  return twitterText.extractUrls(text).length > 0 ? "url" : "standard";
}

function doubledCharacters(text: string, urlRanges: [number, number][]): string[] {
  const found = new Set<string>();
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let seen = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    if (++seen > 2000 || found.size >= 12) break;
    if (segment.charCodeAt(0) < 0x1100 && segment.length === 1) continue; // Latin and friends: weight 1
    if (urlRanges.some(([start, end]) => index >= start && index < end)) continue;
    if (twitterText.parseTweet(segment, V3).weightedLength >= 2) found.add(segment);
  }
  return [...found];
}
