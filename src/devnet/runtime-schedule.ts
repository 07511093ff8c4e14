/**
 * Which runtime the devnet runs at which block, so that a range of blocks can span a runtime
 * upgrade (e.g. a runtime without Swap.SwapBalancer before block N, spec 424 from N on).
 *
 * Substrate's timing, kept here: the upgrade is enacted in block N-1 (the new code is in the
 * state after N-1), and block N is the first block executed by the new runtime, so state from N
 * on has its storage layout. A client asking `api.at(N)` reads the runtime version at N's
 * parent and gets the new one, as on a real node.
 */
import { DevnetRuntime } from './runtime/runtime.ts';
import type { RuntimeSpec } from './runtime/runtime.ts';
import { CURRENT_RUNTIME } from './runtime/runtime.ts';
import { buildSubtensorTypes } from './runtime/subtensor-types.ts';

export interface RuntimeScheduleEntry {
  /** First block executed by this runtime; the first entry covers every earlier block too. */
  fromBlock: number;
  spec: RuntimeSpec;
}

export class RuntimeSchedule {
  private readonly entries: RuntimeScheduleEntry[];
  private readonly built = new Map<number, DevnetRuntime>();
  private readonly types = buildSubtensorTypes();

  constructor(entries: RuntimeScheduleEntry[] = [{ fromBlock: 0, spec: CURRENT_RUNTIME }]) {
    if (entries.length === 0) throw new RangeError('a runtime schedule needs at least one runtime');
    for (let i = 1; i < entries.length; i++) {
      const prev = entries[i - 1]!;
      const cur = entries[i]!;
      if (!(cur.fromBlock > prev.fromBlock)) throw new RangeError(`runtime schedule: fromBlock must increase (${prev.fromBlock} then ${cur.fromBlock})`);
      // A chain refuses an upgrade that does not raise spec_version (SpecVersionNeedsToIncrease).
      if (!(cur.spec.specVersion > prev.spec.specVersion)) {
        throw new RangeError(`runtime schedule: spec version must increase (${prev.spec.specVersion} then ${cur.spec.specVersion})`);
      }
    }
    this.entries = entries;
  }

  private runtimeOf(entry: RuntimeScheduleEntry): DevnetRuntime {
    let rt = this.built.get(entry.spec.specVersion);
    if (!rt) {
      rt = new DevnetRuntime(entry.spec, this.types);
      this.built.set(entry.spec.specVersion, rt);
    }
    return rt;
  }

  /** The runtime that executed block `n`: its storage layout is the layout of state `n`. */
  executing(n: number): DevnetRuntime {
    let entry = this.entries[0]!;
    for (const e of this.entries) if (e.fromBlock <= n) entry = e;
    return this.runtimeOf(entry);
  }

  /** The code stored in state `n`: the runtime that will execute block n+1. */
  codeAt(n: number): DevnetRuntime {
    return this.executing(n + 1);
  }
}
