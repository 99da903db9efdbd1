/**
 * The status line in the header: the page's connection to the server, the server's connection
 * to the Jetstream firehose (with lag while it catches up), and the number of viewers.
 */
import type { StatsSnapshot } from '../../src/hub/events.ts';
import type { ConnectionStatus } from './connection.ts';
import { byId, setText } from './dom.ts';
import { formatCount, formatDuration } from './format.ts';

/** Lag above which the firehose counts as catching up rather than live. */
const LIVE_LAG_SECONDS = 10;

export type Health = 'ok' | 'warn' | 'bad' | 'idle';

export interface StatusText {
  health: Health;
  text: string;
  detail: string;
}

export function describeServer(status: ConnectionStatus): StatusText {
  switch (status.state) {
    case 'connected':
      return { health: 'ok', text: 'connected', detail: 'Receiving live updates.' };
    case 'connecting':
      return { health: 'idle', text: 'connecting', detail: 'Opening the live connection.' };
    case 'reconnecting':
      return { health: 'warn', text: 'reconnecting', detail: `Connection lost (${status.detail ?? 'unknown reason'}); retrying.` };
    case 'rejected':
      return {
        health: 'bad',
        text: 'rejected',
        detail: `The server rejected the connection (${status.detail ?? 'no reason given'}). If it requires a token, open the page with ?token=…`,
      };
  }
}

export function describeFirehose(snapshot: StatsSnapshot): StatusText {
  const firehose = snapshot.firehose;
  if (!snapshot.ingest) return { health: 'idle', text: 'not ingesting', detail: 'This server only serves stored data (INGEST=false).' };
  const endpoint = firehose.endpoint ?? 'no endpoint yet';
  if (!firehose.connected) {
    return {
      health: 'bad',
      text: 'disconnected',
      detail: `Not connected to ${endpoint}; ${formatCount(firehose.reconnects)} reconnects so far. The server keeps retrying.`,
    };
  }
  if (firehose.paused) {
    return { health: 'warn', text: 'paused', detail: 'Reading is paused until the database catches up with the queue.' };
  }
  const lag = firehose.lagSeconds;
  if (lag !== null && lag > LIVE_LAG_SECONDS) {
    return { health: 'warn', text: `catching up, ${formatDuration(lag)} behind`, detail: `Connected to ${endpoint}, replaying events it missed.` };
  }
  return { health: 'ok', text: 'live', detail: `Connected to ${endpoint}${lag === null ? '' : `, ${formatDuration(lag)} behind`}.` };
}

export class StatusBar {
  private readonly server = byId('status-server', HTMLElement);
  private readonly serverText = byId('status-server-text', HTMLElement);
  private readonly firehose = byId('status-firehose', HTMLElement);
  private readonly firehoseText = byId('status-firehose-text', HTMLElement);
  private readonly viewersText = byId('status-viewers-text', HTMLElement);

  setServer(status: ConnectionStatus): void {
    this.show(this.server, this.serverText, describeServer(status));
  }

  setSnapshot(snapshot: StatsSnapshot): void {
    this.show(this.firehose, this.firehoseText, describeFirehose(snapshot));
    setText(this.viewersText, formatCount(snapshot.clients));
  }

  /** Shows that no snapshot arrived for `seconds` although the socket is connected. */
  setStale(seconds: number): void {
    this.show(this.firehose, this.firehoseText, {
      health: 'warn',
      text: `no update for ${formatDuration(seconds)}`,
      detail: 'The server sends statistics every second; none arrived recently.',
    });
  }

  private show(item: HTMLElement, textElement: HTMLElement, status: StatusText): void {
    item.dataset.health = status.health;
    item.title = status.detail;
    setText(textElement, status.text);
  }
}
