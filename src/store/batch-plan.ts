/**
 * Reduces a batch of effects to the final state of every post it touches, so the write needs a
 * fixed number of multi-row statements however many effects the batch holds. Applying the plan
 * leaves the same rows as applying the effects one by one in order.
 */
import type { IngestEffect, PostRecord } from '../hub/events.ts';
import { SENTIMENT_LABELS } from '../sentiment/types.ts';
import { primaryLanguage } from '../hub/post-language.ts';

/** Column values of one post row, in the order the insert statements read them. */
export type PostRow = [
  uri: string,
  did: string,
  rkey: string,
  text: string,
  langs: string,
  language: string,
  createdAt: string | null,
  timeUs: number,
  isReply: 0 | 1,
  isQuote: 0 | 1,
  neg: number,
  neu: number,
  pos: number,
  compound: number,
  label: string,
];

export interface BatchPlan {
  /** URIs whose stored row is removed before the inserts (deleted, or deleted then re-created). */
  deleteUris: string[];
  /** DIDs whose every stored post is removed before the inserts. */
  removedDids: string[];
  /** Posts inserted unless a row with the same URI exists (creates; re-delivery is a no-op). */
  creates: PostRow[];
  /** Posts inserted, or replacing the text, langs and scores of the stored row (updates). */
  updates: PostRow[];
  /** Effects rejected as malformed, with the reason of each. */
  rejected: { reason: string; uri: string | null }[];
}

interface PostState {
  /** Whether a delete or an account removal reached this URI within the batch. */
  deleteFirst: boolean;
  post: PostRecord | null;
  mode: 'create' | 'update';
}

export function planBatch(effects: readonly IngestEffect[]): BatchPlan {
  const states = new Map<string, PostState>();
  const urisByDid = new Map<string, Set<string>>();
  const removedDids = new Set<string>();
  const rejected: BatchPlan['rejected'] = [];

  const stateOf = (uri: string, did: string): PostState => {
    let state = states.get(uri);
    if (!state) {
      state = { deleteFirst: false, post: null, mode: 'create' };
      states.set(uri, state);
      let uris = urisByDid.get(did);
      if (!uris) urisByDid.set(did, (uris = new Set()));
      uris.add(uri);
    }
    return state;
  };

  for (const effect of effects) {
    if (effect.kind === 'upsert') {
      const problem = invalidPost(effect.post);
      if (problem) {
        rejected.push({ reason: problem, uri: typeof effect.post?.uri === 'string' ? effect.post.uri : null });
        continue;
      }
      const state = stateOf(effect.post.uri, effect.post.did);
      if (effect.operation === 'create') {
        // A create of a post that already exists changes nothing, as in the database.
        if (state.post) continue;
        state.post = effect.post;
        state.mode = 'create';
      } else {
        // An update keeps the time of the version it replaces, as the stored row does.
        state.post = state.post ? { ...effect.post, timeUs: state.post.timeUs } : effect.post;
        state.mode = 'update';
      }
    } else if (effect.kind === 'delete') {
      if (typeof effect.uri !== 'string' || effect.uri === '') {
        rejected.push({ reason: 'delete without uri', uri: null });
        continue;
      }
      const state = stateOf(effect.uri, effect.did);
      state.deleteFirst = true;
      state.post = null;
    } else if (effect.kind === 'account-removed') {
      if (typeof effect.did !== 'string' || effect.did === '') {
        rejected.push({ reason: 'account removal without did', uri: null });
        continue;
      }
      removedDids.add(effect.did);
      for (const uri of urisByDid.get(effect.did) ?? []) {
        const state = states.get(uri)!;
        state.deleteFirst = true;
        state.post = null;
      }
    }
  }

  const plan: BatchPlan = { deleteUris: [], removedDids: [...removedDids], creates: [], updates: [], rejected };
  for (const [uri, state] of states) {
    if (state.deleteFirst) plan.deleteUris.push(uri);
    if (!state.post) continue;
    (state.mode === 'create' ? plan.creates : plan.updates).push(toRow(state.post));
  }
  return plan;
}

function toRow(post: PostRecord): PostRow {
  const { sentiment } = post;
  return [
    post.uri,
    post.did,
    post.rkey,
    post.text,
    JSON.stringify(post.langs),
    primaryLanguage(post.langs),
    post.createdAt ?? null,
    post.timeUs,
    post.isReply ? 1 : 0,
    post.isQuote ? 1 : 0,
    sentiment.neg,
    sentiment.neu,
    sentiment.pos,
    sentiment.compound,
    sentiment.label,
  ];
}

const LABELS = new Set<string>(SENTIMENT_LABELS);

/** Returns why `post` cannot be stored, or null when it can. */
function invalidPost(post: PostRecord | undefined): string | null {
  if (!post || typeof post !== 'object') return 'missing post';
  if (typeof post.uri !== 'string' || !post.uri.startsWith('at://')) return 'uri is not an at:// URI';
  if (typeof post.did !== 'string' || post.did === '') return 'missing did';
  if (typeof post.rkey !== 'string' || post.rkey === '') return 'missing rkey';
  if (typeof post.text !== 'string') return 'text is not a string';
  if (!Array.isArray(post.langs) || post.langs.some((lang) => typeof lang !== 'string')) return 'langs is not a list of strings';
  if (!Number.isSafeInteger(post.timeUs) || post.timeUs < 0) return 'timeUs is not a non-negative integer';
  if (post.createdAt != null && typeof post.createdAt !== 'string') return 'createdAt is not a string';
  const sentiment = post.sentiment;
  if (!sentiment || !LABELS.has(sentiment.label)) return 'sentiment label is unknown';
  for (const score of [sentiment.neg, sentiment.neu, sentiment.pos, sentiment.compound]) {
    if (typeof score !== 'number' || !Number.isFinite(score)) return 'sentiment score is not a finite number';
  }
  return null;
}
