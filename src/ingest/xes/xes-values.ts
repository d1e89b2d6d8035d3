/**
 * XES attribute types and how their values become typed attribute values.
 *
 * `string` and `id` are text, `date` a time, `int` and `float` numbers, `boolean` a boolean.
 * `list` and `container` hold other attributes: they are not values and are skipped (counted),
 * because a flat column cannot hold a tree and no AR question reads them.
 */
import type { AttributeKind } from '../../log/compiled-log.js';
import type { RawValue } from '../../log/attribute-builder.js';

/** What an XES attribute element is. */
export const XES_TYPE = {
  string: 1, date: 2, int: 3, float: 4, boolean: 5, id: 6, list: 7, container: 8,
} as const;

/** Code of an XES attribute element name, 0 for any other element. */
export function xesTypeOf(element: string): number {
  switch (element) {
    case 'string': return XES_TYPE.string;
    case 'date': return XES_TYPE.date;
    case 'int': return XES_TYPE.int;
    case 'float': return XES_TYPE.float;
    case 'boolean': return XES_TYPE.boolean;
    case 'id': return XES_TYPE.id;
    case 'list': return XES_TYPE.list;
    case 'container': return XES_TYPE.container;
    default: return 0;
  }
}

/** True for the attribute types that hold other attributes instead of a value. */
export function isCollection(type: number): boolean {
  return type === XES_TYPE.list || type === XES_TYPE.container;
}

/** A typed value, written into a reused object to spare an allocation per attribute. */
export interface TypedValue {
  value: RawValue;
  kind: AttributeKind;
}

/**
 * Types the `text` of an attribute of XES type `type` into `out`. A value its type cannot
 * read (an int "n/a") is kept as text, so the column turns to text and loses nothing.
 */
export function typeValue(
  type: number, text: string, parseTime: (text: string) => number, out: TypedValue,
): void {
  switch (type) {
    case XES_TYPE.date: {
      const t = parseTime(text);
      if (!Number.isNaN(t)) return set(out, t, 'time');
      break;
    }
    case XES_TYPE.int:
    case XES_TYPE.float: {
      const n = text.trim() === '' ? NaN : Number(text);
      if (!Number.isNaN(n)) return set(out, n, 'number');
      break;
    }
    case XES_TYPE.boolean: {
      // xs:boolean allows true, false, 1 and 0; XES writers also emit TRUE and False.
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return set(out, true, 'boolean');
      if (t === 'false' || t === '0') return set(out, false, 'boolean');
      break;
    }
    default:
      break;
  }
  set(out, text, 'string');
}

function set(out: TypedValue, value: RawValue, kind: AttributeKind): void {
  out.value = value;
  out.kind = kind;
}
