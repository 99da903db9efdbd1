/**
 * Reads what the load generator needs from a `posts` batch without parsing the whole JSON:
 * the server's `sentAt` stamp and the post URIs. Post text is JSON-escaped, so the quoted key
 * patterns searched here cannot occur inside a string value.
 */

const SENT_AT_KEY = '"sentAt":';
const TOTAL_KEY = '"total":';
const URI_KEY = '"uri":"';

/** `sentAt` of a batch frame in ms since the epoch, or NaN when the frame has none. */
export function readSentAt(frame: string): number {
  const at = frame.lastIndexOf(SENT_AT_KEY);
  if (at < 0) return NaN;
  return Number.parseFloat(frame.slice(at + SENT_AT_KEY.length, at + SENT_AT_KEY.length + 24));
}

/**
 * `total` of a batch frame: posts that matched since the previous batch, including those the
 * per-client rate cap sampled out. Falls back to `fallback` when the frame has none.
 */
export function readTotal(frame: string, fallback: number): number {
  const at = frame.lastIndexOf(TOTAL_KEY);
  if (at < 0) return fallback;
  const value = Number.parseInt(frame.slice(at + TOTAL_KEY.length, at + TOTAL_KEY.length + 12), 10);
  return Number.isFinite(value) ? value : fallback;
}

/** Returns the `uri` values of the posts in a batch frame, in order. */
export function readPostUris(frame: string): string[] {
  const uris: string[] = [];
  let from = 0;
  for (;;) {
    const at = frame.indexOf(URI_KEY, from);
    if (at < 0) return uris;
    const start = at + URI_KEY.length;
    const end = frame.indexOf('"', start);
    if (end < 0) return uris;
    uris.push(frame.slice(start, end));
    from = end + 1;
  }
}

/** 32-bit FNV-1a hash of a string, used to compare which batches two clients received. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Identity of one batch: its send stamp, size and first and last URIs. Two clients that saw the
 * same batches end with equal sums of these hashes, whatever the order.
 */
export function batchKey(sentAt: number, uris: readonly string[]): number {
  return batchKeyOf(sentAt, uris.length, uris[0] ?? '', uris[uris.length - 1] ?? '');
}

/** `batchKey` from the parts, for readers that do not collect every URI. */
export function batchKeyOf(sentAt: number, count: number, firstUri: string, lastUri: string): number {
  return fnv1a(`${sentAt}|${count}|${firstUri}|${lastUri}`);
}

/**
 * The same readers over the raw frame bytes, for load generators that hold many clients: they
 * avoid decoding the whole frame to a string. Frames are UTF-8, and every key and number read
 * here is ASCII.
 */
export const bufferReaders = {
  sentAt(frame: Buffer): number {
    const at = frame.lastIndexOf(SENT_AT_KEY);
    return at < 0 ? NaN : readNumber(frame, at + SENT_AT_KEY.length);
  },
  total(frame: Buffer, fallback: number): number {
    const at = frame.lastIndexOf(TOTAL_KEY);
    const value = at < 0 ? NaN : readNumber(frame, at + TOTAL_KEY.length);
    return Number.isFinite(value) ? value : fallback;
  },
  /** Number of posts in the frame. */
  postCount(frame: Buffer): number {
    let count = 0;
    for (let at = frame.indexOf(URI_KEY); at >= 0; at = frame.indexOf(URI_KEY, at + URI_KEY.length)) count++;
    return count;
  },
  firstUri(frame: Buffer): string | null {
    const at = frame.indexOf(URI_KEY);
    if (at < 0) return null;
    const end = frame.indexOf(0x22, at + URI_KEY.length);
    return end < 0 ? null : frame.toString('utf8', at + URI_KEY.length, end);
  },
  lastUri(frame: Buffer): string | null {
    const at = frame.lastIndexOf(URI_KEY);
    if (at < 0) return null;
    const end = frame.indexOf(0x22, at + URI_KEY.length);
    return end < 0 ? null : frame.toString('utf8', at + URI_KEY.length, end);
  },
};

/** Reads the unsigned decimal integer that starts at `offset`, or NaN when there is none. */
function readNumber(frame: Buffer, offset: number): number {
  let value = 0;
  let digits = 0;
  for (let index = offset; index < frame.length && digits < 17; index++, digits++) {
    const code = frame[index]!;
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + (code - 0x30);
  }
  return digits === 0 ? NaN : value;
}
