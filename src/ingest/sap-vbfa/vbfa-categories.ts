/**
 * Readable names of SAP SD document categories (VBFA `VBTYP_N`, domain VBTYP).
 *
 * Only the letters whose meaning is well established are named; any other category keeps its
 * letter as the activity, so nothing is guessed. Letters are case-sensitive in SAP (`h` and `H`
 * differ).
 */
const NAMES: Record<string, string> = {
  A: 'Inquiry',
  B: 'Quotation',
  C: 'Order',
  D: 'Item Proposal',
  E: 'Scheduling Agreement',
  G: 'Contract',
  H: 'Returns',
  I: 'Order Without Charge',
  J: 'Delivery',
  K: 'Credit Memo Request',
  L: 'Debit Memo Request',
  M: 'Invoice',
  N: 'Invoice Cancellation',
  O: 'Credit Memo',
  P: 'Debit Memo',
  Q: 'WMS Transfer Order',
  R: 'Goods Movement',
  S: 'Credit Memo Cancellation',
  T: 'Returns Delivery',
  U: 'Pro Forma Invoice',
  V: 'Purchase Order',
  X: 'Handling Unit',
  3: 'Invoice List',
  4: 'Credit Memo List',
  5: 'Intercompany Invoice',
  6: 'Intercompany Credit Memo',
  7: 'Delivery Notification',
  8: 'Shipment',
  h: 'Goods Issue Cancellation',
  i: 'Goods Receipt',
};

/** The activity name of a document category: its readable name, or the letter itself. */
export function categoryName(letter: string): string {
  return Object.hasOwn(NAMES, letter) ? NAMES[letter] : letter;
}
