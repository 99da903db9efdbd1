import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { helpText, loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/parsers.ts';
import { PUBLIC_JETSTREAM_URLS, VARIABLES } from '../../src/config/schema.ts';

const config = suite('config');

config('defaults apply when nothing is set', () => {
  const loaded = loadConfig({});
  assert.is(loaded.PORT, 3000, 'PORT default');
  assert.is(loaded.HOST, '127.0.0.1', 'HOST default');
  assert.is(loaded.DATABASE_URL, 'file:./data/skypulse.db', 'DATABASE_URL default');
  assert.equal(loaded.JETSTREAM_URL, PUBLIC_JETSTREAM_URLS, 'JETSTREAM_URL default lists the public instances');
  assert.is(loaded.LOG_LEVEL, 'info', 'LOG_LEVEL default');
  assert.is(loaded.INGEST, true, 'INGEST default');
  assert.is(loaded.REDIS_URL, undefined, 'REDIS_URL unset by default');
});

config('values are parsed into types', () => {
  const loaded = loadConfig({
    PORT: '8080',
    INGEST: 'false',
    JETSTREAM_URL: 'ws://127.0.0.1:6008/subscribe, ws://127.0.0.1:6009/subscribe',
    LOG_LEVEL: 'DEBUG',
    POSITIVE_THRESHOLD: '0.1',
    CORS_ORIGINS: 'https://a.example,https://b.example',
  });
  assert.is(loaded.PORT, 8080, 'PORT as a number');
  assert.is(loaded.INGEST, false, 'INGEST as a boolean');
  assert.equal(loaded.JETSTREAM_URL, ['ws://127.0.0.1:6008/subscribe', 'ws://127.0.0.1:6009/subscribe'], 'URL list trimmed and split');
  assert.is(loaded.LOG_LEVEL, 'debug', 'level matched case-insensitively');
  assert.is(loaded.POSITIVE_THRESHOLD, 0.1, 'decimal threshold');
  assert.equal(loaded.CORS_ORIGINS, ['https://a.example', 'https://b.example'], 'origin list');
});

config('plain decimal numbers are accepted', () => {
  const loaded = loadConfig({ PORT: ' 8080 ', RETENTION_DAYS: '.5', POSITIVE_THRESHOLD: '+0.25', NEGATIVE_THRESHOLD: '-0.25' });
  assert.is(loaded.PORT, 8080, 'integer with surrounding spaces');
  assert.is(loaded.RETENTION_DAYS, 0.5, 'decimal without a leading zero');
  assert.is(loaded.POSITIVE_THRESHOLD, 0.25, 'decimal with a plus sign');
  assert.is(loaded.NEGATIVE_THRESHOLD, -0.25, 'negative decimal');
});

config('empty value counts as unset', () => {
  assert.is(loadConfig({ PORT: '' }).PORT, 3000, 'empty PORT falls back to the default');
});

const invalid: Array<[string, Record<string, string>, string]> = [
  ['PORT', { PORT: '70000' }, 'an integer from 0 to 65535'],
  ['PORT', { PORT: '3.5' }, 'an integer from 0 to 65535'],
  ['PORT', { PORT: '0x10' }, 'an integer from 0 to 65535'],
  ['PORT', { PORT: '3e3' }, 'an integer from 0 to 65535'],
  ['BATCH_MAX_EVENTS', { BATCH_MAX_EVENTS: '1e3' }, 'an integer from 1 to 100000'],
  ['POSITIVE_THRESHOLD', { POSITIVE_THRESHOLD: '0x1' }, 'a number from -1 to 1'],
  ['RETENTION_DAYS', { RETENTION_DAYS: '1e1' }, 'a number from 0.001 to 36500'],
  ['INGEST', { INGEST: 'maybe' }, 'true or false'],
  ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }, 'one of trace, debug, info'],
  ['JETSTREAM_URL', { JETSTREAM_URL: 'http://127.0.0.1/subscribe' }, 'ws or wss URLs'],
  ['DATABASE_URL', { DATABASE_URL: 'postgres://db/x' }, 'file, libsql, http, https'],
  ['REDIS_URL', { REDIS_URL: 'localhost:6379' }, 'redis, rediss URL'],
  ['DATABASE_URL', { DATABASE_URL: 'file:' }, 'a file: URL with a path'],
  ['CORS_ORIGINS', { CORS_ORIGINS: 'notaurl' }, 'origins such as https://'],
  ['CORS_ORIGINS', { CORS_ORIGINS: 'https://a.example/path' }, 'origins such as https://'],
  ['RECONNECT_MIN_MS', { RECONNECT_MIN_MS: '5000', RECONNECT_MAX_MS: '1000' }, 'at most RECONNECT_MAX_MS'],
  ['NEGATIVE_THRESHOLD', { NEGATIVE_THRESHOLD: '0.2' }, 'below POSITIVE_THRESHOLD'],
  ['ZSTD_DICTIONARY_PATH', { JETSTREAM_COMPRESS: 'true' }, "Jetstream's zstd dictionary"],
];

for (const [variable, env, accepted] of invalid) {
  config(`rejects invalid ${variable} (${JSON.stringify(env)})`, () => {
    try {
      loadConfig(env);
      assert.unreachable(`loadConfig accepted ${JSON.stringify(env)}`);
    } catch (error) {
      assert.instance(error, ConfigError, 'throws ConfigError');
      const configError = error as ConfigError;
      assert.is(configError.variable, variable, 'error names the variable');
      assert.match(configError.message, variable, 'message names the variable');
      assert.match(configError.message, accepted, 'message gives the accepted form');
    }
  });
}

config('secret values are not echoed in errors', () => {
  try {
    loadConfig({ ADMIN_TOKEN: 'has space secret' });
    assert.unreachable('token with a space accepted');
  } catch (error) {
    assert.not.match((error as Error).message, 'secret', 'token text is hidden');
  }
});

config('help text lists every variable', () => {
  const help = helpText();
  for (const name of Object.keys(VARIABLES)) assert.match(help, name, `--help lists ${name}`);
});

config.run();
