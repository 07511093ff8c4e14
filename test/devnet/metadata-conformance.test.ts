/**
 * The devnet's own metadata against subtensor's real spec-424 metadata: every pallet, storage
 * item and runtime API the devnet serves must exist in spec 424 with the same index, names,
 * key hashers, key and value types and defaults, so that a client reads the devnet exactly as
 * it reads mainnet.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { MetadataLatest, RuntimeVersion } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { CURRENT_RUNTIME, DevnetRuntime } from '../../src/devnet/runtime/runtime.ts';
import { METADATA_424_FILE, announceSkip, hasMetadata424 } from '../helpers/shared.ts';

interface Loaded {
  registry: TypeRegistry;
  latest: MetadataLatest;
}

function loadReal(): Loaded {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(METADATA_424_FILE));
  registry.setMetadata(metadata);
  return { registry, latest: metadata.asLatest };
}

function typeText(l: Loaded, id: number): string {
  return l.registry.lookup.getTypeDef(id).type;
}

function pathOf(l: Loaded, id: number): string {
  return l.registry.lookup.getSiType(id).path.map((p) => p.toString()).join('::');
}

if (!hasMetadata424) announceSkip('metadata conformance with spec 424', METADATA_424_FILE);

describe.skipIf(!hasMetadata424)('devnet metadata vs subtensor spec 424', () => {
  const real = hasMetadata424 ? loadReal() : (undefined as unknown as Loaded);
  const runtime = new DevnetRuntime(CURRENT_RUNTIME);
  const served: Loaded = { registry: runtime.registry, latest: runtime.metadata.asLatest };

  it('is SCALE metadata V16, like mainnet', () => {
    expect(runtime.metadata.version).toBe(16);
    expect(u8aToHex(runtime.metadataBytes.subarray(0, 5))).toBe('0x6d65746110'); // "meta" + 16
  });

  it('serves the pallets with mainnet\'s indices', () => {
    const names = served.latest.pallets.map((p) => p.name.toString());
    expect(names).toEqual(['System', 'Timestamp', 'SubtensorModule', 'Swap']);
    for (const p of served.latest.pallets) {
      const twin = real.latest.pallets.find((r) => r.name.eq(p.name));
      expect(twin, p.name.toString()).toBeDefined();
      expect(p.index.toNumber(), p.name.toString()).toBe(twin!.index.toNumber());
    }
  });

  it('every served storage item has spec 424\'s name, modifier, hashers, key and value types and default', () => {
    let checked = 0;
    for (const p of served.latest.pallets) {
      if (p.storage.isNone) continue;
      const twinPallet = real.latest.pallets.find((r) => r.name.eq(p.name))!;
      const twinStorage = twinPallet.storage.unwrap();
      expect(p.storage.unwrap().prefix.toString()).toBe(twinStorage.prefix.toString());
      for (const item of p.storage.unwrap().items) {
        const where = `${p.name.toString()}.${item.name.toString()}`;
        const twin = twinStorage.items.find((r) => r.name.eq(item.name));
        expect(twin, where).toBeDefined();
        expect(item.modifier.type, where).toBe(twin!.modifier.type);
        expect(item.type.type, where).toBe(twin!.type.type);
        if (item.type.isPlain) {
          expect(typeText(served, item.type.asPlain.toNumber()), where).toBe(typeText(real, twin!.type.asPlain.toNumber()));
          expect(pathOf(served, item.type.asPlain.toNumber()), where).toBe(pathOf(real, twin!.type.asPlain.toNumber()));
        } else {
          const a = item.type.asMap;
          const b = twin!.type.asMap;
          expect(a.hashers.map((h) => h.type), where).toEqual(b.hashers.map((h) => h.type));
          expect(typeText(served, a.key.toNumber()), `${where} key`).toBe(typeText(real, b.key.toNumber()));
          expect(typeText(served, a.value.toNumber()), `${where} value`).toBe(typeText(real, b.value.toNumber()));
          expect(pathOf(served, a.value.toNumber()), `${where} value path`).toBe(pathOf(real, b.value.toNumber()));
        }
        expect(u8aToHex(item.fallback.toU8a(true)), `${where} default`).toBe(u8aToHex(twin!.fallback.toU8a(true)));
        checked++;
      }
    }
    // System 4, Timestamp 1, SubtensorModule 17, Swap 2
    expect(checked).toBe(24);
  });

  it('every served runtime API method has spec 424\'s inputs and output', () => {
    let checked = 0;
    for (const api of served.latest.apis) {
      const twin = real.latest.apis.find((r) => r.name.eq(api.name));
      expect(twin, api.name.toString()).toBeDefined();
      for (const m of api.methods) {
        const where = `${api.name.toString()}_${m.name.toString()}`;
        const tm = twin!.methods.find((r) => r.name.eq(m.name));
        expect(tm, where).toBeDefined();
        expect(m.inputs.map((i) => i.name.toString()), where).toEqual(tm!.inputs.map((i) => i.name.toString()));
        expect(m.inputs.map((i) => typeText(served, i.type.toNumber())), where).toEqual(tm!.inputs.map((i) => typeText(real, i.type.toNumber())));
        expect(typeText(served, m.output.toNumber()), `${where} output`).toBe(typeText(real, tm!.output.toNumber()));
        checked++;
      }
    }
    expect(checked).toBe(8); // Core.version, 3 x Metadata, 4 x SwapRuntimeApi
  });

  it('announces the runtime APIs with spec 424\'s versions', () => {
    const realVersion = real.registry.createType('RuntimeVersion',
      real.latest.pallets.find((p) => p.name.eq('System'))!.constants.find((c) => c.name.eq('Version'))!.value.toU8a(true)) as unknown as RuntimeVersion;
    const realApis = new Map<string, number>(realVersion.apis.map(([id, v]) => [id.toHex(), v.toNumber()]));
    expect(runtime.version.apis.length).toBe(3);
    for (const [id, version] of runtime.version.apis) expect(realApis.get(id), id).toBe(version);
    expect(runtime.version.specName).toBe(realVersion.specName.toString());
  });
});
