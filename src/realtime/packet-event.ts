/**
 * The event name of an encoded Socket.IO packet as engine.io queues it, such as
 * `2["posts",{…}]`, for per-event message counters. Only the first few characters are read.
 */
const PACKET_KINDS: Record<string, string> = { '0': 'connect', '1': 'disconnect', '3': 'ack', '4': 'connect_error' };

export function eventNameOf(data: unknown): string {
  if (typeof data !== 'string' || data.length === 0) return 'binary';
  if (data[0] !== '2') return PACKET_KINDS[data[0]!] ?? 'other';
  // An event packet: type, optional namespace and ack id, then a JSON array whose first item is the name.
  const start = data.indexOf('["');
  if (start < 0 || start > 64) return 'other';
  const end = data.indexOf('"', start + 2);
  if (end < 0 || end - start > 66) return 'other';
  return data.slice(start + 2, end);
}
