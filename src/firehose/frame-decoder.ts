/**
 * Turns one WebSocket frame into a `DecodedEvent`: size check, zstd decoding of binary frames
 * when compression is on, UTF-8 and JSON parsing, then event validation. Never throws.
 */
import type { FrameDecoder } from '../runtime/zstd.ts';
import { decodeEvent, isDid, isTimeUs, type DecodedEvent } from './jetstream-event.ts';

export interface FrameDecodeOptions {
  /** Frames (and decompressed payloads) larger than this are dropped as `oversized`. */
  maxMessageBytes: number;
  /** zstd decoder when Jetstream sends compressed binary frames; null for JSON text frames. */
  decompress: FrameDecoder | null;
}

/** Frame payload as `ws` delivers it with the default `nodebuffer` binary type. */
export type FrameData = Buffer | ArrayBuffer | Buffer[];

// Jetstream writes `did` then `time_us` first, so an oversized frame's ids can be read from its
// first bytes without parsing the whole frame; the cursor can then move past it.
const ENVELOPE_PREFIX = /^\{"did":"([^"]{1,2048})","time_us":(\d{1,17})[,}]/;

function toBuffer(data: FrameData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function oversized(payload: Buffer): DecodedEvent {
  const match = ENVELOPE_PREFIX.exec(payload.subarray(0, 2200).toString('latin1'));
  const did = match?.[1];
  const timeUs = match ? Number(match[2]) : null;
  return {
    type: 'dropped',
    reason: 'oversized',
    timeUs: isTimeUs(timeUs) ? timeUs : null,
    did: isDid(did) ? did : undefined,
  };
}

/** Decodes one upstream frame. */
export function decodeFrame(data: FrameData, isBinary: boolean, options: FrameDecodeOptions): DecodedEvent {
  let payload = toBuffer(data);
  if (payload.length > options.maxMessageBytes) return oversized(payload);

  if (isBinary) {
    if (!options.decompress) return { type: 'dropped', reason: 'binary-frame', timeUs: null };
    try {
      payload = Buffer.from(options.decompress(payload));
    } catch {
      return { type: 'dropped', reason: 'decompress-failed', timeUs: null };
    }
    if (payload.length > options.maxMessageBytes) return oversized(payload);
  }

  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return { type: 'dropped', reason: 'malformed-json', timeUs: null };
  }
  return decodeEvent(value);
}
