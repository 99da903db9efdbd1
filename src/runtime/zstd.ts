/**
 * Detection of zstd decoding with a dictionary, which Jetstream's `compress=true` mode needs:
 * every binary frame is one zstd frame made with Jetstream's own dictionary.
 *
 * Checked by running it: Node 20 has no zstd in `node:zlib`; Deno 2.9.6 has
 * `zstdDecompressSync` but ignores its `dictionary` option, so it cannot read these frames
 * either. The probe below decides at start-up, so a runtime that honours the option starts
 * using compression without a code change.
 */
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

/** Magic number at the start of a zstd dictionary file, as it appears on disk. */
const DICTIONARY_MAGIC = [0x37, 0xa4, 0x30, 0xec];

/** ID of the dictionary Jetstream v1 compresses with (`pkg/models/zstd_dictionary`). */
export const JETSTREAM_DICTIONARY_ID = 1612007021;

// A raw-content dictionary and a 16-byte zstd frame compressed with it (by the zstd 1.5 CLI).
// The frame cannot be decoded without the dictionary, so decoding it proves the option works.
const PROBE_PAYLOAD = '{"did":"did:plc:probe","time_us":1,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post"}}';
const PROBE_DICTIONARY = `skypulse zstd dictionary probe: ${PROBE_PAYLOAD}`;
const PROBE_FRAME_BASE64 = 'KLUv/SB1PQAAAAEAEk8DEA==';

type ZstdDecompress = (frame: Uint8Array, options?: { dictionary?: Uint8Array }) => Uint8Array;

/** Decodes one compressed frame; throws when the frame is not valid for the dictionary. */
export type FrameDecoder = (frame: Uint8Array) => Uint8Array;

export type ZstdSupport = { available: true; decode: FrameDecoder; dictionaryId: number } | { available: false; reason: string };

function runtimeDecompress(): ZstdDecompress | null {
  const candidate = (zlib as unknown as { zstdDecompressSync?: ZstdDecompress }).zstdDecompressSync;
  return typeof candidate === 'function' ? candidate : null;
}

/** Whether this runtime decodes zstd frames made with a dictionary, checked on a known frame. */
export function runtimeDecodesZstdDictionaries(decompress: ZstdDecompress | null = runtimeDecompress()): boolean {
  if (!decompress) return false;
  try {
    const frame = Buffer.from(PROBE_FRAME_BASE64, 'base64');
    const output = decompress(frame, { dictionary: Buffer.from(PROBE_DICTIONARY) });
    return Buffer.from(output).toString('utf8') === PROBE_PAYLOAD;
  } catch {
    return false;
  }
}

/**
 * Prepares a decoder for Jetstream's zstd frames with the dictionary at `dictionaryPath`, or
 * returns why compression cannot be used (runtime without dictionary support, missing,
 * unreadable or wrong dictionary file).
 */
export function loadZstdDecoder(dictionaryPath: string, decompress: ZstdDecompress | null = runtimeDecompress()): ZstdSupport {
  if (!decompress) return { available: false, reason: 'this runtime has no zstd decoder in node:zlib' };
  if (!runtimeDecodesZstdDictionaries(decompress)) {
    return { available: false, reason: "this runtime's node:zlib zstd decoder ignores the dictionary option" };
  }

  let dictionary: Buffer;
  try {
    dictionary = readFileSync(dictionaryPath);
  } catch (error) {
    return { available: false, reason: `cannot read ZSTD_DICTIONARY_PATH=${JSON.stringify(dictionaryPath)}: ${(error as Error).message}` };
  }
  if (dictionary.length < 8 || DICTIONARY_MAGIC.some((byte, index) => dictionary[index] !== byte)) {
    return { available: false, reason: `ZSTD_DICTIONARY_PATH=${JSON.stringify(dictionaryPath)} is not a zstd dictionary (no dictionary magic number)` };
  }
  const dictionaryId = dictionary.readUInt32LE(4);
  if (dictionaryId !== JETSTREAM_DICTIONARY_ID) {
    return {
      available: false,
      reason: `ZSTD_DICTIONARY_PATH=${JSON.stringify(dictionaryPath)} has dictionary id ${dictionaryId}, but Jetstream uses ${JETSTREAM_DICTIONARY_ID}`,
    };
  }
  return { available: true, dictionaryId, decode: (frame) => decompress(frame, { dictionary }) };
}
