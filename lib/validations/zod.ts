// The zod every shared schema is built with. Jitless: zod 4 otherwise compiles object parsers with
// `new Function`, and even its probe of whether that is allowed is an `eval` which the
// Content-Security-Policy blocks and reports in the browser, where forms validate with these
// schemas. Set before any schema is built (the setting is read when an object schema is made).
import { z } from "zod";

z.config({ jitless: true });

export { z };
