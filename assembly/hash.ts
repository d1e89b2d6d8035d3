// The variant word of a case, one u64 per case in the hashes region. Both kernel paths must
// make it alike.
//
//  bit 63 = 1: exact. The kept codes plus one, P_PACK_BITS bits each, first code highest: every
//              digit is non-zero, so distinct sequences (of any lengths) have distinct words.
//              Used when n × bits ≤ 63; grouping then needs no comparison of events.
//  bit 63 = 0: a hash. The kernel leaves the tail: the low maxPacked × bits bits of the packed
//              word, which hold the last maxPacked codes exactly (never 0: digits are
//              non-zero). groupRange then hashes only the codes before the tail (FNV-1a over
//              64 bits, one code plus one per step), mixes in the tail and the kept-event count
//              and avalanches; equal hashes still need the comparison.

export const HASH_SEED: u64 = 0xcbf29ce484222325;
export const HASH_PRIME: u64 = 0x100000001b3;

// FNV's multiply only carries upward, so its low bits see only the codes' low bits; this
// avalanche step (the murmur3 finalizer) spreads every bit before JS indexes a table by them.
// @ts-ignore: decorator
@inline export function finish(h: u64): u64 {
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccd;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53;
  return h ^ (h >> 33);
}

export const EXACT_BIT: u64 = 0x8000000000000000;

/** The word the kernel writes: exact when the case fits, else its tail (see above). */
// @ts-ignore: decorator
@inline export function variantWord(packed: u64, n: i32, maxPacked: i32, tailMask: u64): u64 {
  return n <= maxPacked ? packed | EXACT_BIT : packed & tailMask;
}

/** The bits of a packed word that hold its last maxPacked codes. */
// @ts-ignore: decorator
@inline export function packedTailMask(bits: u64, maxPacked: i32): u64 {
  return (<u64>1 << (<u64>maxPacked * bits)) - 1;
}

/** Longest kept sequence an exact word holds with `bits` bits per code. */
// @ts-ignore: decorator
@inline export function maxPackedLength(bits: i32): i32 {
  return 63 / max<i32>(bits, 1);
}
