// POST /api/v1/posts/preview — X's weighted length and the cost class of a text before publishing
// it (a post with a URL costs about 13 times a plain one). Nothing reaches X.
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { previewPost } from "@/lib/api/operations";
import { previewPostText } from "@/lib/posts/preview";

export const dynamic = "force-dynamic";

export const POST = apiHandler(previewPost, async ({ body }) => ({ status: 200, body: previewPostText(body.text) }));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
