/**
 * Byte slots: how the execution-graph engine sees the memory of a mixed-size program (issue 15).
 *
 * A location that some access reads or writes through a view narrower than a word (`x.i8[k]`,
 * `x.i16[k]`) is modelled byte by byte: each of its words is four byte slots, numbered from
 * BYTE_SLOT_BASE (past every word, the sc-fence slot and the waiter lists, whatever the program's
 * size: IR_LIMITS.maxMemoryWords), byte b of word w being BYTE_SLOT_BASE + 4w + b. An access of
 * such a location becomes one event per byte it covers, in order, each carrying its access's
 * range (`ByteAccess`): the execution-graph explorer then chooses a write for every byte of a read
 * (ECMA-262 §29's reads-bytes-from) with no change to its search, and the ECMAScript model judges
 * the events of one access as one event (model/memory/graph/jsBytes.ts); an RMW of such a location
 * is its byte reads followed by its byte writes (`ByteAccess.rmw`). Little-endian: byte 0 is
 * the word's low byte (ECMA-262 RawBytesToNumeric on every engine memweave runs on).
 * Locations without narrow accesses keep one event per word access.
 */
import { IR_LIMITS } from '../ir.js';
import type { IrProgram } from '../ir.js';

/** The first byte slot: past the words (≤ maxMemoryWords), the fence slot and the waiter lists (≤ 2 × maxMemoryWords + 1). */
export const BYTE_SLOT_BASE = 4 * IR_LIMITS.maxMemoryWords;

/**
 * One byte of an access: the access's range [lo, lo + size) inside its word, and which of its
 * events this is (0 first). An RMW (a ReadModifyWriteSharedMemory event, ECMA-262 §29.1) is its
 * `size` byte reads (parts 0 … size-1) then, unless it is a compareExchange whose compare failed,
 * its `size` byte writes (parts size … 2·size-1), all marked `rmw`: one access, one event of the standard.
 */
export interface ByteAccess {
  readonly lo: number;
  readonly size: number;
  readonly part: number;
  readonly rmw?: true;
}

/** The byte slot of byte `byte` (0..3) of word `word`. */
export function byteSlot(word: number, byte: number): number {
  return BYTE_SLOT_BASE + 4 * word + byte;
}

/** Is `slot` a byte slot? */
export function isByteSlot(slot: number): boolean {
  return slot >= BYTE_SLOT_BASE;
}

/** The word a byte slot is a byte of. */
export function wordOfByteSlot(slot: number): number {
  return (slot - BYTE_SLOT_BASE) >> 2;
}

/** The byte within its word (0..3, little-endian) of a byte slot. */
export function byteOfByteSlot(slot: number): number {
  return (slot - BYTE_SLOT_BASE) & 3;
}

/** Per memory word: 1 when its location is modelled byte by byte (some access to it is narrower than a word); null when no location is. */
export function byteWords(program: IrProgram): Uint8Array | null {
  const locs = new Set<number>();
  for (const th of program.threads) for (const i of th.code) if ('addr' in i && i.addr.width !== undefined && i.addr.width !== 4) locs.add(i.addr.loc);
  if (locs.size === 0) return null;
  const out = new Uint8Array(program.memorySize);
  for (const l of locs) {
    const loc = program.locations[l];
    if (loc !== undefined) out.fill(1, loc.base, loc.base + loc.size);
  }
  return out;
}

/** A word's value from its four bytes (little-endian; each byte taken mod 256), as a signed 32-bit integer. */
export function wordFromBytes(b0: number, b1: number, b2: number, b3: number): number {
  return (b0 & 0xff) | ((b1 & 0xff) << 8) | ((b2 & 0xff) << 16) | ((b3 & 0xff) << 24);
}

/** Byte `byte` (0..3) of a word, 0..255. */
export function byteOf(word: number, byte: number): number {
  return (word >>> (8 * byte)) & 0xff;
}
