/**
 * Link building from untrusted data. A link reaches the page only when it is an http(s) URL, so
 * `javascript:`, `data:` and similar schemes in post data can never run.
 */

// Syntax from the AT Protocol specifications (atproto.com/specs/did and /specs/record-key).
const DID_PATTERN = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const RECORD_KEY_PATTERN = /^[A-Za-z0-9._~:-]{1,512}$/;
const POST_COLLECTION = 'app.bsky.feed.post';

export interface PostUri {
  did: string;
  rkey: string;
}

/** Parses `at://<did>/app.bsky.feed.post/<rkey>`; returns null for anything else. */
export function parsePostUri(uri: string): PostUri | null {
  if (typeof uri !== 'string' || uri.length > 3000 || !uri.startsWith('at://')) return null;
  const parts = uri.slice('at://'.length).split('/');
  if (parts.length !== 3) return null;
  const [did, collection, rkey] = parts;
  if (!DID_PATTERN.test(did) || did.length > 2048) return null;
  if (collection !== POST_COLLECTION) return null;
  if (!RECORD_KEY_PATTERN.test(rkey) || rkey === '.' || rkey === '..') return null;
  return { did, rkey };
}

/** Builds the post's page URL on bsky.app, or returns null when the AT-URI is not a valid post URI. */
export function blueskyPostUrl(uri: string): string | null {
  const parsed = parsePostUri(uri);
  if (!parsed) return null;
  // Both parts passed the patterns above, whose characters are all legal in a URL path segment.
  return `https://bsky.app/profile/${parsed.did}/post/${parsed.rkey}`;
}

/** Returns `url` normalised when it parses as an absolute http: or https: URL, else null. */
export function safeHttpUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href;
}
