/**
 * The customer table of a generated log: a few hundred customers, each with a segment, region,
 * currency, collector and payment habits. Built once per run from the seed (small: it is the
 * only state the generator keeps besides the current invoice).
 */
import { Prng, mixSeed } from './prng.js';
import {
  REGIONS, REGION_PROFILES, SEGMENTS, SEGMENT_PROFILES, type Region, type Segment,
} from './profiles.js';

/** One customer of a generated log. */
export interface Customer {
  name: string;
  segment: Segment;
  region: Region;
  currency: string;
  collector: string;
  /** Multiplies the segment's median invoice amount. */
  amountFactor: number;
  /** Multiplies the segment's and region's mean days late. */
  latenessFactor: number;
}

/** Customers and a cumulative weight table to draw an invoice's customer from. */
export interface CustomerTable {
  customers: Customer[];
  /** cumulative[i] = total volume of customers 0..i. */
  cumulative: Float64Array;
}

// Separates the customer stream from the invoice streams, which use the invoice index.
const CUSTOMER_STREAM = 0x5eed_c057;

/** Builds the customer table of a run. */
export function makeCustomerTable(seed: number, count: number): CustomerTable {
  const rng = new Prng(mixSeed(seed, CUSTOMER_STREAM));
  const customers: Customer[] = [];
  const cumulative = new Float64Array(count);
  let total = 0;
  const width = Math.max(4, String(count).length);
  for (let i = 0; i < count; i++) {
    const segment = rng.weighted(SEGMENTS.map((s) => [s, SEGMENT_PROFILES[s].customerShare]));
    const region = rng.weighted(REGIONS.map((r) => [r, REGION_PROFILES[r].customerShare]));
    const profile = REGION_PROFILES[region];
    customers.push({
      name: `Customer ${String(i + 1).padStart(width, '0')}`,
      segment,
      region,
      currency: rng.weighted(profile.currencies),
      collector: profile.collectors[rng.int(0, profile.collectors.length - 1)],
      amountFactor: Math.exp(0.5 * rng.normal()),
      // Some customers pay their late invoices within days, others weeks later.
      latenessFactor: rng.between(0.4, 1.8),
    });
    total += SEGMENT_PROFILES[segment].volume * rng.between(0.5, 1.5);
    cumulative[i] = total;
  }
  return { customers, cumulative };
}

/** The customer whose cumulative weight interval holds `u` (uniform in [0, 1)). */
export function pickCustomer(table: CustomerTable, u: number): Customer {
  const { cumulative } = table;
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return table.customers[lo];
}
