// Any /api/v1 path without an operation: a problem+json 404 (instead of the HTML not-found page),
// whatever the method.
import { unknownPath } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = unknownPath();
