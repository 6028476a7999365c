// The zod every shared schema is built with: zod/mini, because these schemas also validate forms in
// the browser and classic zod's chainable API cannot be tree-shaken (it shipped ~90 kB gzip to
// every page with a form). Same rules, same messages, functional style: `z.string().check(...)`.
// Jitless: zod 4 otherwise compiles object parsers with `new Function`, and even its probe of
// whether that is allowed is an `eval` which the Content-Security-Policy blocks and reports in the
// browser. Set before any schema is built (the setting is read when an object schema is made).
import * as z from "zod/mini";

z.config({ jitless: true });

export { z };

/** Visible control characters would render invisibly and make two names look identical. */
export const noControlChars = (message: string) => z.refine<string>((v) => !/[\u0000-\u001f\u007f]/.test(v), message);
