/**
 * Turns Jetstream lines of the shared bench files into store batches, independently of the
 * firehose parser, so storage tests and benchmarks do not depend on it. Handles the shapes the
 * bench files hold: post creates, updates and deletes, account and identity events.
 */
import { readFileSync } from 'node:fs';
import type { IngestBatch, IngestEffect, Sentiment, SentimentLabel } from '../../src/hub/events.ts';

export type ScoreText = (text: string, langs: readonly string[]) => Sentiment;

interface JetstreamLine {
  did: string;
  time_us: number;
  kind: string;
  commit?: { operation: string; collection: string; rkey: string; record?: Record<string, unknown> };
  account?: { active: boolean; status?: string };
}

/** Account statuses after which the account's posts are gone for good. */
const REMOVING_STATUSES = new Set(['deleted', 'takendown']);

export function readLines(path: string): JetstreamLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JetstreamLine);
}

/** Converts one line to its effect, or null for lines the store ignores (identity, active accounts). */
export function toEffect(line: JetstreamLine, score: ScoreText): IngestEffect | null {
  if (line.kind === 'account') {
    const status = line.account?.status;
    if (line.account?.active === false && status && REMOVING_STATUSES.has(status)) {
      return { kind: 'account-removed', did: line.did, status, timeUs: line.time_us };
    }
    return null;
  }
  const commit = line.commit;
  if (line.kind !== 'commit' || !commit || commit.collection !== 'app.bsky.feed.post') return null;
  const uri = `at://${line.did}/app.bsky.feed.post/${commit.rkey}`;
  if (commit.operation === 'delete') return { kind: 'delete', uri, did: line.did, timeUs: line.time_us };

  const record = commit.record ?? {};
  const text = typeof record.text === 'string' ? record.text : '';
  const langs = Array.isArray(record.langs) ? record.langs.filter((lang): lang is string => typeof lang === 'string') : [];
  const embedType = (record.embed as { $type?: string } | undefined)?.$type ?? '';
  return {
    kind: 'upsert',
    operation: commit.operation === 'update' ? 'update' : 'create',
    post: {
      uri,
      did: line.did,
      rkey: commit.rkey,
      text,
      langs,
      createdAt: typeof record.createdAt === 'string' ? record.createdAt : null,
      indexedAt: new Date(Math.floor(line.time_us / 1000)).toISOString(),
      timeUs: line.time_us,
      isReply: record.reply !== undefined,
      isQuote: embedType.startsWith('app.bsky.embed.record'),
      sentiment: score(text, langs),
    },
  };
}

/** Splits `lines` into batches of `size` events; each batch's cursor is its last event's time. */
export function toBatches(lines: readonly JetstreamLine[], size: number, score: ScoreText): IngestBatch[] {
  const batches: IngestBatch[] = [];
  for (let start = 0; start < lines.length; start += size) {
    const slice = lines.slice(start, start + size);
    const effects = slice.map((line) => toEffect(line, score)).filter((effect): effect is IngestEffect => effect !== null);
    batches.push({ effects, cursor: slice.at(-1)!.time_us, eventCount: slice.length });
  }
  return batches;
}

/**
 * Scores text with a cheap deterministic stand-in for VADER, for benchmarks that measure storage
 * alone: the compound comes from a hash of the text, the label from the compound.
 */
export const standInScore: ScoreText = (text) => {
  if (text.trim() === '') return { neg: 0, neu: 0, pos: 0, compound: 0, label: 'unscored' };
  let hash = 0;
  for (let index = 0; index < text.length; index += 7) hash = (hash * 31 + text.charCodeAt(index)) | 0;
  const compound = Math.round((hash % 1000) / 1000 * 10_000) / 10_000;
  let label: SentimentLabel = 'neutral';
  if (compound >= 0.05) label = 'positive';
  if (compound <= -0.05) label = 'negative';
  return { neg: compound < 0 ? -compound : 0, neu: 1 - Math.abs(compound), pos: compound > 0 ? compound : 0, compound, label };
};
