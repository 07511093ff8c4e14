/**
 * A portable type registry (the `lookup` of SCALE metadata V14+) built up type by type.
 * Each added type gets the next id; an identical type (same path, params and shape) is
 * stored once, as the Rust metadata generator does, so that two storage items with a u64
 * value point at the same lookup id.
 */

export type PrimitiveName =
  | 'Bool' | 'Char' | 'Str'
  | 'U8' | 'U16' | 'U32' | 'U64' | 'U128' | 'U256'
  | 'I8' | 'I16' | 'I32' | 'I64' | 'I128' | 'I256';

export interface FieldSpec {
  name?: string;
  type: number;
  /** The Rust type name as written in the source (shown by metadata explorers). */
  typeName?: string;
  docs?: string[];
}

export interface VariantSpec {
  name: string;
  index: number;
  fields?: FieldSpec[];
  docs?: string[];
}

export type TypeShape =
  | { primitive: PrimitiveName }
  | { composite: FieldSpec[] }
  | { variant: VariantSpec[] }
  | { sequence: number }
  | { array: { len: number; type: number } }
  | { tuple: number[] }
  | { compact: number };

export interface TypeInfo {
  /** Rust path, e.g. ['primitive_types', 'H256']; empty for anonymous types. */
  path?: string[];
  params?: Array<{ name: string; type?: number }>;
  docs?: string[];
}

/** Plain-object form accepted by `registry.createType('PortableRegistry', ...)`. */
export interface PortableTypeJson {
  id: number;
  type: {
    path: string[];
    params: Array<{ name: string; type: number | null }>;
    def: Record<string, unknown>;
    docs: string[];
  };
}

function fieldJson(f: FieldSpec) {
  return { name: f.name ?? null, type: f.type, typeName: f.typeName ?? null, docs: f.docs ?? [] };
}

function defJson(shape: TypeShape): Record<string, unknown> {
  if ('primitive' in shape) return { Primitive: shape.primitive };
  if ('composite' in shape) return { Composite: { fields: shape.composite.map(fieldJson) } };
  if ('variant' in shape) {
    return {
      Variant: {
        variants: shape.variant.map((v) => ({ name: v.name, index: v.index, fields: (v.fields ?? []).map(fieldJson), docs: v.docs ?? [] })),
      },
    };
  }
  if ('sequence' in shape) return { Sequence: { type: shape.sequence } };
  if ('array' in shape) return { Array: { len: shape.array.len, type: shape.array.type } };
  if ('tuple' in shape) return { Tuple: shape.tuple };
  return { Compact: { type: shape.compact } };
}

export class TypeTable {
  private readonly entries: PortableTypeJson[] = [];
  private readonly ids = new Map<string, number>();

  /** Adds a type (or finds the identical one already present) and returns its lookup id. */
  add(shape: TypeShape, info: TypeInfo = {}): number {
    const type = {
      path: info.path ?? [],
      params: (info.params ?? []).map((p) => ({ name: p.name, type: p.type ?? null })),
      def: defJson(shape),
      docs: info.docs ?? [],
    };
    const identity = JSON.stringify([type.path, type.params, type.def]);
    const known = this.ids.get(identity);
    if (known !== undefined) return known;
    const id = this.entries.length;
    this.entries.push({ id, type });
    this.ids.set(identity, id);
    return id;
  }

  primitive(name: PrimitiveName): number {
    return this.add({ primitive: name });
  }

  sequence(of: number): number {
    return this.add({ sequence: of });
  }

  tuple(...members: number[]): number {
    return this.add({ tuple: members });
  }

  array(len: number, of: number): number {
    return this.add({ array: { len, type: of } });
  }

  /** `Option<T>` as Rust's scale-info describes it: a generic enum None / Some(T). */
  option(of: number): number {
    return this.add(
      { variant: [{ name: 'None', index: 0 }, { name: 'Some', index: 1, fields: [{ type: of }] }] },
      { path: ['Option'], params: [{ name: 'T', type: of }] },
    );
  }

  toJson(): { types: PortableTypeJson[] } {
    return { types: this.entries };
  }
}
