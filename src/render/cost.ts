// What a parsed value takes in memory, roughly as V8 lays it out: the one measure of the
// render's byte budget. A JSON-size count would charge an empty mapping 2 bytes where V8
// needs some 60, which lets a small file of aliased empty mappings take gigabytes.

/** A mapping or a list, before its entries. */
export const COLLECTION_COST = 64;
/** A scalar (or a key) before its characters. */
export const SCALAR_COST = 16;
/** A number's value, beyond SCALAR_COST. */
const NUMBER_COST = 8;
/** The property a key takes in its mapping, beyond the key itself (more in a mapping of many keys). */
const PROPERTY_COST = 16;

/** A scalar value: a string costs its length on top. */
export function scalarCost(value: string | number | boolean | null): number {
  if (typeof value === 'string') return SCALAR_COST + value.length;
  return typeof value === 'number' ? SCALAR_COST + NUMBER_COST : SCALAR_COST;
}

/**
 * An entry a merge key copies into a mapping: its key and value are shared, but the mapping it
 * lands in is rebuilt entry by entry, in V8's slower layout for mappings of many keys.
 */
export const MERGED_ENTRY_COST = 64;

/** A mapping key: its characters, and the property it takes. */
export function keyCost(key: string): number {
  return SCALAR_COST + PROPERTY_COST + key.length;
}
