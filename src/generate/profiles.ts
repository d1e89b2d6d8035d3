/**
 * The behaviour the generator plants, as data: per-segment probabilities and the per-region
 * and per-segment parameters that shape amounts, terms and delays.
 *
 * The six planted rates below are exactly the probabilities the generator draws with, so an
 * analysis of a generated log can be checked against them. Each rate's definition says which
 * invoices or events it is measured on; measured that way on a generated log it is an
 * unbiased estimate (the cut-off never hides the events a definition needs, see invoice.ts).
 */

/** Customer segments, from largest customers to smallest. */
export const SEGMENTS = ['Enterprise', 'Mid-Market', 'SMB'] as const;
/** A customer segment. */
export type Segment = (typeof SEGMENTS)[number];

/** Sales regions. */
export const REGIONS = ['EMEA', 'NA', 'APAC', 'LATAM'] as const;
/** A sales region. */
export type Region = (typeof REGIONS)[number];

/** Stable ids of the planted rates. */
export const RATE_IDS = [
  'on-time-rate', 'dispute-rate', 'promise-kept-rate', 'cash-app-automation-rate',
  'partial-payment-share', 'open-at-cutoff-share',
] as const;
/** A planted rate id. */
export type RateId = (typeof RATE_IDS)[number];

/** Days after the promised date that still count as keeping a promise to pay. */
export const PROMISE_GRACE_DAYS = 3;

/**
 * Exact definitions of the planted rates. "Paid invoice" means one with an Invoice Cleared
 * event that received at least one payment (in generated logs: every cleared invoice).
 */
export const RATE_DEFINITIONS: Record<RateId, string> = {
  'on-time-rate': 'share of paid invoices whose last Payment Received falls on or before '
    + 'the Due Date (UTC calendar date)',
  'dispute-rate': 'share of all invoices with at least one Dispute Opened event',
  'promise-kept-rate': 'share of Promise To Pay events, on paid invoices, after which the last '
    + `Payment Received falls on or before Promised Date + ${PROMISE_GRACE_DAYS} days (UTC date)`,
  'cash-app-automation-rate': 'share of Cash Applied events with Automated = true',
  'partial-payment-share': 'share of paid invoices with two or more Payment Received events',
  'open-at-cutoff-share': 'share of all invoices without an Invoice Cleared event at the '
    + 'cut-off',
};

/**
 * The planted probabilities, one row per segment: the one table of truth.
 *
 * | segment    | on-time | dispute | promise kept | automation | partial | open |
 * | ---------- | ------- | ------- | ------------ | ---------- | ------- | ---- |
 * | Enterprise | 0.62    | 0.09    | 0.78         | 0.85       | 0.08    | 0.10 |
 * | Mid-Market | 0.55    | 0.06    | 0.66         | 0.72       | 0.14    | 0.12 |
 * | SMB        | 0.44    | 0.04    | 0.52         | 0.58       | 0.22    | 0.15 |
 */
export const PLANTED_RATES: Readonly<Record<Segment, Readonly<Record<RateId, number>>>> = {
  'Enterprise': {
    'on-time-rate': 0.62, 'dispute-rate': 0.09, 'promise-kept-rate': 0.78,
    'cash-app-automation-rate': 0.85, 'partial-payment-share': 0.08, 'open-at-cutoff-share': 0.10,
  },
  'Mid-Market': {
    'on-time-rate': 0.55, 'dispute-rate': 0.06, 'promise-kept-rate': 0.66,
    'cash-app-automation-rate': 0.72, 'partial-payment-share': 0.14, 'open-at-cutoff-share': 0.12,
  },
  'SMB': {
    'on-time-rate': 0.44, 'dispute-rate': 0.04, 'promise-kept-rate': 0.52,
    'cash-app-automation-rate': 0.58, 'partial-payment-share': 0.22, 'open-at-cutoff-share': 0.15,
  },
};

/** Per-segment shape of the invoices (not planted rates: free to change). */
export interface SegmentProfile {
  /** Share of customers in this segment. */
  customerShare: number;
  /** Relative invoice volume of one customer of this segment. */
  volume: number;
  /** Median invoice amount in US dollars. */
  medianAmountUsd: number;
  /** Payment terms (days) with their weights. */
  terms: readonly (readonly [number, number])[];
  /** Mean days late of a late payment, before the region and customer factors. */
  meanDaysLate: number;
}

/** Segment profiles. */
export const SEGMENT_PROFILES: Readonly<Record<Segment, SegmentProfile>> = {
  'Enterprise': {
    customerShare: 0.15, volume: 6, medianAmountUsd: 42_000, meanDaysLate: 14,
    terms: [[30, 0.2], [45, 0.3], [60, 0.5]],
  },
  'Mid-Market': {
    customerShare: 0.35, volume: 3, medianAmountUsd: 8_500, meanDaysLate: 18,
    terms: [[30, 0.4], [45, 0.4], [60, 0.2]],
  },
  'SMB': {
    customerShare: 0.5, volume: 1, medianAmountUsd: 1_200, meanDaysLate: 24,
    terms: [[30, 0.8], [45, 0.2]],
  },
};

/** Per-region shape (not planted rates). */
export interface RegionProfile {
  customerShare: number;
  /** Currencies billed in the region, with weights. */
  currencies: readonly (readonly [string, number])[];
  /** Multiplies the segment's mean days late. */
  latenessFactor: number;
  /** Mean days from Dispute Opened to Dispute Resolved. */
  meanDisputeDays: number;
  /** The region's collectors (the Agent of dunning, promise and dispute rows). */
  collectors: readonly string[];
}

/** Region profiles. */
export const REGION_PROFILES: Readonly<Record<Region, RegionProfile>> = {
  EMEA: {
    customerShare: 0.35, currencies: [['EUR', 0.7], ['GBP', 0.3]], latenessFactor: 1.2,
    meanDisputeDays: 14, collectors: ['Anna Keller', 'Luca Moretti', 'Sophie Laurent'],
  },
  NA: {
    customerShare: 0.35, currencies: [['USD', 0.9], ['CAD', 0.1]], latenessFactor: 1.0,
    meanDisputeDays: 10, collectors: ['Mike Johnson', 'Emily Carter', 'David Nguyen'],
  },
  APAC: {
    customerShare: 0.2, currencies: [['JPY', 0.4], ['AUD', 0.35], ['SGD', 0.25]],
    latenessFactor: 0.9, meanDisputeDays: 12, collectors: ['Kenji Sato', 'Priya Sharma'],
  },
  LATAM: {
    customerShare: 0.1, currencies: [['BRL', 0.6], ['MXN', 0.4]], latenessFactor: 1.6,
    meanDisputeDays: 20, collectors: ['Carlos Ruiz', 'Mariana Costa'],
  },
};

/** Units of each currency per US dollar (rough, fixed: only the order of magnitude matters). */
export const USD_RATE: Readonly<Record<string, number>> = {
  USD: 1, CAD: 1.35, EUR: 0.92, GBP: 0.79, JPY: 150, AUD: 1.5, SGD: 1.34, BRL: 5, MXN: 17,
};

/** Days past due on which dunning letters go out, while the invoice is unpaid. */
export const DUNNING_DAYS: readonly number[] = [7, 21, 35];

/** Reasons a customer disputes an invoice, with weights. */
export const DISPUTE_REASONS: readonly (readonly [string, number])[] = [
  ['Pricing Error', 0.3], ['Quantity Mismatch', 0.2], ['Damaged Goods', 0.15],
  ['Missing Purchase Order', 0.15], ['Duplicate Invoice', 0.1], ['Service Not Rendered', 0.1],
];

/** Fixed behaviour that is not planted per segment. */
export const BEHAVIOUR = {
  /** Share of disputes found valid (followed by a credit note). */
  validDisputeShare: 0.6,
  /** Share of disputes never resolved: the invoice stays open, usually stuck. */
  unresolvedDisputeShare: 0.12,
  /** Share of undisputed invoices the customer never pays (dunned, then silence). */
  abandonedShare: 0.005,
  /** Chance that a late invoice with a dunning letter gets a promise to pay. */
  promiseShare: 0.45,
  /** Of partial payments, the share made in three parts (the rest in two). */
  threePartShare: 0.3,
} as const;

/** One planted rate of one segment, as `plantedRates()` lists it. */
export interface PlantedRate {
  id: RateId;
  segment: Segment;
  probability: number;
  definition: string;
}

/** The planted rates, one entry per segment and rate id. */
export function plantedRates(): PlantedRate[] {
  const out: PlantedRate[] = [];
  for (const segment of SEGMENTS) {
    for (const id of RATE_IDS) {
      out.push({ id, segment, probability: PLANTED_RATES[segment][id],
        definition: RATE_DEFINITIONS[id] });
    }
  }
  return out;
}

/** A readable description of what the generator plants, for `ledgerflow generate --describe`. */
export function describe(): string {
  const lines = ['Planted rates (probabilities the generator draws with), by segment:', ''];
  lines.push(['rate', ...SEGMENTS].map((c) => c.padEnd(26)).join(''));
  for (const id of RATE_IDS) {
    const cells = SEGMENTS.map((s) => PLANTED_RATES[s][id].toFixed(2).padEnd(26));
    lines.push(id.padEnd(26) + cells.join(''));
  }
  lines.push('', 'Definitions:');
  for (const id of RATE_IDS) lines.push(`- ${id}: ${RATE_DEFINITIONS[id]}.`);
  lines.push('', 'Regions and customers differ in how late they pay, in dispute resolution '
    + 'time, currency and amounts; the planted probabilities depend on the segment only.');
  return lines.join('\n');
}
