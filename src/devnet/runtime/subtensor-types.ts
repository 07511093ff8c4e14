/**
 * The types of the devnet runtime, with the paths and shapes that subtensor's own metadata
 * (spec 424) gives them, so that a client decodes what the devnet serves exactly as it would
 * decode mainnet. Only the types that the served pallets and runtime APIs need are present,
 * plus the few that @polkadot/api looks for to recognise a Substrate runtime (the extrinsic,
 * the call and event enums, the event record).
 */
import { TypeTable } from './type-table.ts';

export interface SubtensorTypes {
  table: TypeTable;
  u8: number;
  u16: number;
  u32: number;
  u64: number;
  u128: number;
  i128: number;
  bool: number;
  bytes: number;
  h256: number;
  accountId: number;
  /** substrate_fixed::FixedI128<U32>: I96F32, e.g. SubnetMovingPrice. */
  fixedI128: number;
  /** substrate_fixed::FixedU128<U32>: U96F32, e.g. RootProp. */
  fixedU128: number;
  perquintill: number;
  balancer: number;
  subnetIdentityV3: number;
  subnetPrice: number;
  subnetPrices: number;
  simSwapResult: number;
  runtimeVersion: number;
  opaqueMetadata: number;
  optionOpaqueMetadata: number;
  vecU32: number;
  systemCall: number;
  systemEvent: number;
  systemError: number;
  runtimeCall: number;
  runtimeEvent: number;
  runtimeError: number;
  eventRecords: number;
  multiAddress: number;
  multiSignature: number;
  uncheckedExtrinsic: number;
  extensions: number;
}

export function buildSubtensorTypes(): SubtensorTypes {
  const t = new TypeTable();
  const u8 = t.primitive('U8');
  const u16 = t.primitive('U16');
  const u32 = t.primitive('U32');
  const u64 = t.primitive('U64');
  const u128 = t.primitive('U128');
  const i128 = t.primitive('I128');
  const bool = t.primitive('Bool');
  const str = t.primitive('Str');
  const bytes = t.sequence(u8);
  const bytes32 = t.array(32, u8);
  const h256 = t.add({ composite: [{ type: bytes32, typeName: '[u8; 32]' }] }, { path: ['primitive_types', 'H256'] });
  const accountId = t.add({ composite: [{ type: bytes32, typeName: '[u8; 32]' }] }, { path: ['sp_core', 'crypto', 'AccountId32'] });

  const fixedI128 = t.add({ composite: [{ name: 'bits', type: i128, typeName: 'i128' }] }, { path: ['substrate_fixed', 'FixedI128'] });
  const fixedU128 = t.add({ composite: [{ name: 'bits', type: u128, typeName: 'u128' }] }, { path: ['substrate_fixed', 'FixedU128'] });
  const perquintill = t.add({ composite: [{ type: u64, typeName: 'u64' }] }, { path: ['sp_arithmetic', 'per_things', 'Perquintill'] });
  const balancer = t.add(
    { composite: [{ name: 'quote', type: perquintill, typeName: 'Perquintill' }] },
    { path: ['pallet_subtensor_swap', 'pallet', 'balancer', 'Balancer'] },
  );
  const identityFields = ['subnet_name', 'github_repo', 'subnet_contact', 'subnet_url', 'discord', 'description', 'logo_url', 'additional'];
  const subnetIdentityV3 = t.add(
    { composite: identityFields.map((name) => ({ name, type: bytes, typeName: 'Vec<u8>' })) },
    { path: ['pallet_subtensor', 'pallet', 'SubnetIdentityV3'] },
  );

  const subnetPrice = t.add(
    { composite: [{ name: 'netuid', type: u16, typeName: 'NetUid' }, { name: 'price', type: u64, typeName: 'u64' }] },
    { path: ['pallet_subtensor_swap_runtime_api', 'SubnetPrice'] },
  );
  const subnetPrices = t.sequence(subnetPrice);
  const simSwapResult = t.add(
    {
      composite: [
        { name: 'tao_amount', type: u64, typeName: 'TaoBalance' },
        { name: 'alpha_amount', type: u64, typeName: 'AlphaBalance' },
        { name: 'tao_fee', type: u64, typeName: 'TaoBalance' },
        { name: 'alpha_fee', type: u64, typeName: 'AlphaBalance' },
        { name: 'tao_slippage', type: u64, typeName: 'TaoBalance' },
        { name: 'alpha_slippage', type: u64, typeName: 'AlphaBalance' },
      ],
    },
    { path: ['pallet_subtensor_swap_runtime_api', 'SimSwapResult'] },
  );

  const cowStr = t.add({ composite: [{ type: str }] }, { path: ['Cow'], params: [{ name: 'T', type: str }] });
  const apiEntries = t.sequence(t.tuple(t.array(8, u8), u32));
  const cowApis = t.add({ composite: [{ type: apiEntries }] }, { path: ['Cow'], params: [{ name: 'T', type: apiEntries }] });
  const runtimeVersion = t.add(
    {
      composite: [
        { name: 'spec_name', type: cowStr, typeName: "Cow<'static, str>" },
        { name: 'impl_name', type: cowStr, typeName: "Cow<'static, str>" },
        { name: 'authoring_version', type: u32, typeName: 'u32' },
        { name: 'spec_version', type: u32, typeName: 'u32' },
        { name: 'impl_version', type: u32, typeName: 'u32' },
        { name: 'apis', type: cowApis, typeName: 'ApisVec' },
        { name: 'transaction_version', type: u32, typeName: 'u32' },
        { name: 'system_version', type: u8, typeName: 'u8' },
      ],
    },
    { path: ['sp_version', 'RuntimeVersion'] },
  );
  const opaqueMetadata = t.add({ composite: [{ type: bytes, typeName: 'Vec<u8>' }] }, { path: ['sp_core', 'OpaqueMetadata'] });
  const optionOpaqueMetadata = t.option(opaqueMetadata);
  const vecU32 = t.sequence(u32);

  // The outer enums: one call (System.remark), one event (System.CodeUpdated, which a runtime
  // upgrade emits) and one error, enough for a client to build its Call/Event/Error types.
  const systemCall = t.add(
    { variant: [{ name: 'remark', index: 0, fields: [{ name: 'remark', type: bytes, typeName: 'Vec<u8>' }], docs: ['Make some on-chain remark.'] }] },
    { path: ['frame_system', 'pallet', 'Call'] },
  );
  const systemEvent = t.add(
    { variant: [{ name: 'CodeUpdated', index: 2, docs: ['`:code` was updated.'] }] },
    { path: ['frame_system', 'pallet', 'Event'] },
  );
  const systemError = t.add(
    { variant: [{ name: 'InvalidSpecName', index: 0, docs: ['The name of specification does not match between the current runtime and the new runtime.'] }] },
    { path: ['frame_system', 'pallet', 'Error'] },
  );
  const runtimeCall = t.add(
    { variant: [{ name: 'System', index: 0, fields: [{ type: systemCall, typeName: 'frame_system::Call<Runtime>' }] }] },
    { path: ['node_subtensor_runtime', 'RuntimeCall'] },
  );
  const runtimeEvent = t.add(
    { variant: [{ name: 'System', index: 0, fields: [{ type: systemEvent, typeName: 'frame_system::Event<Runtime>' }] }] },
    { path: ['node_subtensor_runtime', 'RuntimeEvent'] },
  );
  const runtimeError = t.add(
    { variant: [{ name: 'System', index: 0, fields: [{ type: systemError, typeName: 'frame_system::Error<Runtime>' }] }] },
    { path: ['node_subtensor_runtime', 'RuntimeError'] },
  );
  const phase = t.add(
    {
      variant: [
        { name: 'ApplyExtrinsic', index: 0, fields: [{ type: u32, typeName: 'u32' }] },
        { name: 'Finalization', index: 1 },
        { name: 'Initialization', index: 2 },
      ],
    },
    { path: ['frame_system', 'Phase'] },
  );
  const eventRecord = t.add(
    {
      composite: [
        { name: 'phase', type: phase, typeName: 'Phase' },
        { name: 'event', type: runtimeEvent, typeName: 'E' },
        { name: 'topics', type: t.sequence(h256), typeName: 'Vec<T>' },
      ],
    },
    { path: ['frame_system', 'EventRecord'], params: [{ name: 'E', type: runtimeEvent }, { name: 'T', type: h256 }] },
  );
  const eventRecords = t.sequence(eventRecord);

  const unit = t.tuple();
  const multiAddress = t.add(
    {
      variant: [
        { name: 'Id', index: 0, fields: [{ type: accountId, typeName: 'AccountId' }] },
        { name: 'Index', index: 1, fields: [{ type: t.add({ compact: unit }), typeName: 'AccountIndex' }] },
        { name: 'Raw', index: 2, fields: [{ type: bytes, typeName: 'Vec<u8>' }] },
        { name: 'Address32', index: 3, fields: [{ type: bytes32, typeName: '[u8; 32]' }] },
        { name: 'Address20', index: 4, fields: [{ type: t.array(20, u8), typeName: '[u8; 20]' }] },
      ],
    },
    { path: ['sp_runtime', 'multiaddress', 'MultiAddress'], params: [{ name: 'AccountId', type: accountId }, { name: 'AccountIndex', type: unit }] },
  );
  const sig64 = t.array(64, u8);
  const multiSignature = t.add(
    {
      variant: [
        { name: 'Ed25519', index: 0, fields: [{ type: sig64, typeName: 'ed25519::Signature' }] },
        { name: 'Sr25519', index: 1, fields: [{ type: sig64, typeName: 'sr25519::Signature' }] },
        { name: 'Ecdsa', index: 2, fields: [{ type: t.array(65, u8), typeName: 'ecdsa::Signature' }] },
      ],
    },
    { path: ['sp_runtime', 'MultiSignature'] },
  );
  // No transaction extensions: the devnet is read-only and accepts no extrinsics.
  const extensions = unit;
  const uncheckedExtrinsic = t.add(
    { composite: [{ type: bytes }] },
    {
      path: ['sp_runtime', 'generic', 'unchecked_extrinsic', 'UncheckedExtrinsic'],
      params: [
        { name: 'Address', type: multiAddress },
        { name: 'Call', type: runtimeCall },
        { name: 'Signature', type: multiSignature },
        { name: 'Extra', type: extensions },
      ],
    },
  );

  return {
    table: t, u8, u16, u32, u64, u128, i128, bool, bytes, h256, accountId,
    fixedI128, fixedU128, perquintill, balancer, subnetIdentityV3, subnetPrice, subnetPrices, simSwapResult,
    runtimeVersion, opaqueMetadata, optionOpaqueMetadata, vecU32,
    systemCall, systemEvent, systemError, runtimeCall, runtimeEvent, runtimeError, eventRecords,
    multiAddress, multiSignature, uncheckedExtrinsic, extensions,
  };
}
