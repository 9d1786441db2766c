// How the application tells the config cache what `data` must look like.

/** The outcome of checking a snapshot's `data`. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/** A plain validator: any function from unknown input to a tagged result. */
export type DataValidator<T> = (data: unknown) => Validation<T>;

/** The part of a zod (v3 or v4) schema the cache uses; any object with this `safeParse` works. */
export interface SafeParseSchema<T> {
  safeParse(
    data: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues?: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** What `ConfigCache` accepts as `schema`: a zod schema or a `DataValidator`. */
export type DataSchema<T> = DataValidator<T> | SafeParseSchema<T>;

/** Turns a zod schema or a plain validator into a `DataValidator`. */
export function toDataValidator<T>(schema: DataSchema<T>): DataValidator<T> {
  if (typeof schema === 'function') return schema;
  return (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { ok: true, value: result.data };
    const issues = result.error.issues ?? [];
    const reason =
      issues
        .slice(0, 3)
        .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
        .join('; ') || 'data does not match the schema';
    return { ok: false, reason };
  };
}
