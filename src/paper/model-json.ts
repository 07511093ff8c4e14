/**
 * The market model back from its JSON form in a state file's identity (written by
 * `modelToJson` of report-json.ts), so that `status` can make a report without the config
 * file the paper run was started with.
 */
import { UserError } from '../core/errors.ts';
import type { CurveKind } from '../core/pool/types.ts';
import { parseAmount } from '../core/units.ts';
import type { ImpactMode } from '../engine/market.ts';
import type { ModelConfig, RootClaimType } from '../engine/model.ts';

export function modelFromJson(j: Record<string, unknown>, where: string): ModelConfig {
  const get = <T>(key: string, check: (v: unknown) => boolean): T => {
    const v = j[key];
    if (!check(v)) throw new UserError(`${where}: identity.model.${key}: missing or invalid (${JSON.stringify(v)}); the state file is damaged`);
    return v as T;
  };
  const isAmount = (v: unknown) => typeof v === 'string' && /^\d+(\.\d{1,9})?$/.test(v);
  const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return {
    curve: get<CurveKind>('curve', (v) => v === 'constant_product' || v === 'weighted'),
    impact: get<ImpactMode>('impact', (v) => v === 'persistent' || v === 'transient'),
    minStake: parseAmount(get<string>('min_stake', isAmount)),
    txFee: parseAmount(get<string>('tx_fee', isAmount)),
    take: get<number>('validator_take', isNum),
    rootClaim: get<RootClaimType>('root_claim', (v) => v === 'swap' || v === 'keep'),
    claimEveryBlocks: get<number>('claim_every_blocks', isNum),
    defaultFeeRate: get<number>('default_fee_rate', isNum),
    assumptions: {
      rootStake: parseAmount(get<string>('assumed_root_stake', isAmount)),
      rootProp: get<number>('assumed_root_prop', isNum),
      taoWeight: get<number>('assumed_tao_weight', isNum),
      tempo: get<number>('assumed_tempo', isNum),
    },
  };
}
