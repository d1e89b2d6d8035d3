// The variant hash of a case: FNV-1a over 64 bits, one activity code (plus one) per step, then
// the kept-event count mixed in and an avalanche step. Both kernel paths must use it alike.

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
