// The zod every shared schema is built with: zod/mini, because these schemas also validate forms in
// the browser and classic zod's chainable API cannot be tree-shaken (it shipped ~90 kB gzip to
// every page with a form). Same rules, same messages, functional style: `z.string().check(...)`.
// Only the functions listed here reach the browser: a namespace import re-exported (`export { z }`
// of `import * as z`) keeps every one of zod's exports, locales and JSON Schema included; add a
// function here when a schema needs it.
// Jitless: zod 4 otherwise compiles object parsers with `new Function`, and even its probe of
// whether that is allowed is an `eval` which the Content-Security-Policy blocks and reports in the
// browser. Set before any schema is built (the setting is read when an object schema is made).
import {
  _default,
  array,
  boolean,
  catch as catchValue,
  coerce,
  config,
  email,
  enum as enumOf,
  extend,
  gte,
  int,
  lte,
  maxLength,
  minLength,
  object,
  optional,
  pick,
  pipe,
  refine,
  regex,
  string,
  toLowerCase,
  transform,
  trim,
} from "zod/mini";
import type * as mini from "zod/mini";

config({ jitless: true });

export const z = {
  _default,
  array,
  boolean,
  catch: catchValue,
  coerce,
  email,
  enum: enumOf,
  extend,
  gte,
  int,
  lte,
  maxLength,
  minLength,
  object,
  optional,
  pick,
  pipe,
  refine,
  regex,
  string,
  toLowerCase,
  transform,
  trim,
};

// eslint-disable-next-line @typescript-eslint/no-namespace -- the types that go with `z.` (z.infer, z.input)
export declare namespace z {
  type infer<T> = mini.infer<T>;
  type input<T> = mini.input<T>;
}

/** Visible control characters would render invisibly and make two names look identical. */
export const noControlChars = (message: string) => refine<string>((v) => !/[\u0000-\u001f\u007f]/.test(v), message);
