/**
 * What one runtime version offers, read from its metadata: which storage items and runtime
 * APIs exist (so a read leaves out what an old block's runtime does not have), how to build
 * their storage keys and which types their values have. Built once per runtime version.
 */
import type { Metadata } from '@polkadot/types';
import { decorateStorage } from '@polkadot/types/metadata/decorate';
import type { StorageEntry } from '@polkadot/types/primitive/types';
import type { StorageEntryMetadataLatest } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import { compactStripLength, stringCamelCase, u8aToHex } from '@polkadot/util';

export interface StorageItemView {
  pallet: string;
  name: string;
  meta: StorageEntryMetadataLatest;
  /** Hex storage key for the given map key (none for a plain item). */
  key(...args: unknown[]): string;
  /** Hex prefix shared by every key of the item. */
  prefix: string;
}

export interface RuntimeApiView {
  /** `Api_method`, the name `state_call` takes. */
  callName: string;
  inputs: Array<{ name: string; type: string }>;
  /** The output type as the registry names it (decoded from the metadata, as @polkadot/api does). */
  output: string;
}

export class RuntimeView {
  private readonly storage: Record<string, Record<string, StorageEntry>>;
  private readonly storageNames = new Set<string>();
  private readonly apis = new Map<string, RuntimeApiView>();
  private capabilityList: string[] | undefined;

  constructor(readonly registry: Registry, readonly metadata: Metadata, readonly specName: string, readonly specVersion: number) {
    const latest = metadata.asLatest;
    this.storage = decorateStorage(registry, latest, metadata.version) as unknown as Record<string, Record<string, StorageEntry>>;
    for (const p of latest.pallets) {
      if (p.storage.isNone) continue;
      for (const item of p.storage.unwrap().items) this.storageNames.add(`${p.name.toString()}.${item.name.toString()}`);
    }
    for (const api of latest.apis) {
      for (const m of api.methods) {
        const callName = `${api.name.toString()}_${m.name.toString()}`;
        const typeName = (id: { toNumber(): number }) => registry.createLookupType(id.toNumber());
        this.apis.set(callName, {
          callName,
          inputs: m.inputs.map((i) => ({ name: i.name.toString(), type: typeName(i.type) })),
          output: typeName(m.output),
        });
      }
    }
  }

  hasStorage(pallet: string, name: string): boolean {
    return this.storageNames.has(`${pallet}.${name}`);
  }

  storageItem(pallet: string, name: string): StorageItemView | undefined {
    if (!this.hasStorage(pallet, name)) return undefined;
    const entry = this.storage[stringCamelCase(pallet)]?.[stringCamelCase(name)];
    if (!entry) return undefined;
    return {
      pallet,
      name,
      meta: entry.meta,
      key: (...args: unknown[]) => u8aToHex(compactStripLength(entry(...args))[1]),
      prefix: u8aToHex(entry.keyPrefix()),
    };
  }

  runtimeApi(api: string, method: string): RuntimeApiView | undefined {
    return this.apis.get(`${api}_${method}`);
  }

  /** Every `Pallet.Item` and `Api_method` this runtime has (for logs and tests). */
  capabilities(): string[] {
    this.capabilityList ??= [...this.storageNames, ...this.apis.keys()].sort();
    return [...this.capabilityList];
  }
}
