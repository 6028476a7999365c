// A react-hook-form resolver that fetches its shared zod schema (and zod, ~24 kB gzip) the first
// time the form validates, or earlier through preload() (forms call it when focus first enters
// them). The schema is still the one the server action parses with; it just stays out of the
// page's first-load JavaScript. Define it once at module level:
//   const resolver = lazyResolver(async () => {
//     const [{ zodResolver }, { fooSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/foo")]);
//     return zodResolver(fooSchema);
//   });
import type { FieldValues, Resolver } from "react-hook-form";

export function lazyResolver<TIn extends FieldValues, TCtx, TOut extends FieldValues>(load: () => Promise<Resolver<TIn, TCtx, TOut>>) {
  let loading: Promise<Resolver<TIn, TCtx, TOut>> | undefined;
  const get = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined; // a failed fetch (offline) is tried again on the next check
      throw error;
    }));
  const resolver: Resolver<TIn, TCtx, TOut> = async (values, context, options) => {
    let resolve: Resolver<TIn, TCtx, TOut>;
    try {
      resolve = await get();
    } catch {
      // The browser's check is a courtesy: the server action parses with the same schema and
      // answers with field errors, so without the schema the values go to it unchecked.
      return { values: values as unknown as TOut, errors: {} };
    }
    return resolve(values, context, options);
  };
  return Object.assign(resolver, { preload: () => void get().catch(() => {}) });
}
