/**
 * Reads and clears the send buffer of one engine.io connection. engine.io 6.6 keeps packets in
 * the socket's `writeBuffer` while the transport is busy, and the websocket transport's `ws`
 * socket reports what it has not yet written to the kernel as `bufferedAmount`. Neither is
 * part of the typed API, so every access is guarded: a missing field counts as empty.
 */
import type { Socket as EngineSocket } from 'engine.io';

interface EngineInternals {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: {
    name?: string;
    socket?: { bufferedAmount?: unknown; terminate?: () => void };
  };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes queued for the client: engine packets waiting for the transport plus unsent socket data. */
export function bufferedBytes(connection: EngineSocket): number {
  const internals = connection as unknown as EngineInternals;
  let bytes = 0;
  if (Array.isArray(internals.writeBuffer)) {
    for (const packet of internals.writeBuffer) bytes += sizeOf(packet?.data);
  }
  if (internals.transport?.name === 'websocket') {
    const amount = Number(internals.transport.socket?.bufferedAmount);
    if (Number.isFinite(amount)) bytes += amount;
  }
  return bytes;
}

/**
 * Closes the transport without waiting for queued data to drain: a websocket is destroyed at
 * once (a close handshake would wait behind the stalled data), polling discards its buffer.
 */
export function terminateTransport(connection: EngineSocket): void {
  const internals = connection as unknown as EngineInternals;
  const socket = internals.transport?.name === 'websocket' ? internals.transport.socket : undefined;
  if (typeof socket?.terminate === 'function') socket.terminate();
  else connection.close(true);
}
