/** Every JSON value under a key prefix, following KV's list cursor page by page. */
export async function listValues<T>(kv: KVNamespace, prefix: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor });
    const values = await Promise.all(page.keys.map((k) => kv.get<T>(k.name, "json")));
    for (const v of values) if (v !== null) out.push(v);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}
