import type { Scope } from "../env.ts";
import type { IngestTokenInfo } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";
import { listValues } from "./list.ts";

/** What a token hash resolves to. The token itself is never stored. */
export interface TokenGrant {
  scope: Exclude<Scope, "admin">;
  /** Ingest token id, or the subscriber id for subscriber tokens. */
  id: string;
}

/** Token hashes -> grants, and the ingest token registry (for listing and revoking by id). */
export class TokenStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  lookup(hash: string): Promise<TokenGrant | null> {
    return this.kv.get<TokenGrant>(keys.tokenByHash(hash), "json");
  }

  async grant(hash: string, grant: TokenGrant): Promise<void> {
    await this.kv.put(keys.tokenByHash(hash), JSON.stringify(grant));
  }

  async revokeHash(hash: string): Promise<void> {
    await this.kv.delete(keys.tokenByHash(hash));
  }

  async putIngest(info: IngestTokenInfo): Promise<void> {
    await this.grant(info.hash, { scope: "ingest", id: info.id });
    await this.kv.put(keys.ingestToken(info.id), JSON.stringify(info));
  }

  async getIngest(id: string): Promise<IngestTokenInfo | null> {
    const key = keys.ingestToken(id);
    return fitsKv(key) ? this.kv.get<IngestTokenInfo>(key, "json") : null;
  }

  async deleteIngest(info: IngestTokenInfo): Promise<void> {
    await this.revokeHash(info.hash);
    await this.kv.delete(keys.ingestToken(info.id));
  }

  listIngest(): Promise<IngestTokenInfo[]> {
    return listValues<IngestTokenInfo>(this.kv, keys.ingestTokenPrefix());
  }
}
