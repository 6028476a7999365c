// What publishing a text would count and cost, for POST /api/v1/posts/preview and the composer.
import "server-only";
import { priceTable } from "../connections/usage";
import { MAX_WEIGHTED_LENGTH, weighPost } from "./text";

export const URL_COST_WARNING = "This post contains a link: X bills it as Content: Create with a URL, about 13 times a plain post.";

export function previewPostText(text: string) {
  const weight = weighPost(text);
  const prices = priceTable();
  const microUsd = weight.costClass === "url" ? prices["post-url"] : prices.post;
  return {
    weightedLength: weight.weightedLength,
    maxWeightedLength: MAX_WEIGHTED_LENGTH,
    fits: weight.valid,
    urls: weight.urls,
    doubled: weight.doubled,
    costClass: weight.costClass,
    expectedCost: { microUsd, usd: microUsd / 1_000_000 },
    warning: weight.costClass === "url" ? URL_COST_WARNING : null,
  };
}
