/**
 * Parsers for environment variables. Each returns the parsed value or throws a `ConfigError`
 * naming the variable, the rejected value and the accepted form.
 */

/** An invalid environment variable, reported before the service opens anything. */
export class ConfigError extends Error {
  readonly variable: string;
  readonly value: string;
  readonly accepted: string;

  constructor(variable: string, value: string, accepted: string) {
    super(`Invalid ${variable}=${JSON.stringify(value)}: expected ${accepted}.`);
    this.name = 'ConfigError';
    this.variable = variable;
    this.value = value;
    this.accepted = accepted;
  }
}

/** Converts the raw text of one variable into a typed value. */
export interface Parser<T> {
  /** The accepted form, as shown in `--help` and in error messages. */
  readonly form: string;
  parse(name: string, raw: string): T;
}

/** Plain decimal notation, so that `0x10`, `1e3` and `Infinity` are rejected. */
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function integer(min: number, max: number): Parser<number> {
  const form = `an integer from ${min} to ${max}`;
  return {
    form,
    parse(name, raw) {
      // Number() alone would also take hexadecimal and exponents: PORT=0x10 would listen on 16.
      const value = Number(raw.trim());
      if (!INTEGER_TEXT.test(raw.trim()) || !Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(name, raw, form);
      }
      return value;
    },
  };
}

export function decimal(min: number, max: number): Parser<number> {
  const form = `a number from ${min} to ${max}`;
  return {
    form,
    parse(name, raw) {
      const value = Number(raw.trim());
      if (!DECIMAL_TEXT.test(raw.trim()) || !Number.isFinite(value) || value < min || value > max) {
        throw new ConfigError(name, raw, form);
      }
      return value;
    },
  };
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export const boolean: Parser<boolean> = {
  form: 'true or false',
  parse(name, raw) {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw new ConfigError(name, raw, 'true or false (also 1/0, yes/no, on/off)');
  },
};

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  const form = `one of ${values.join(', ')}`;
  return {
    form,
    parse(name, raw) {
      const word = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(word)) return word as T;
      throw new ConfigError(name, raw, form);
    },
  };
}

export const text: Parser<string> = {
  form: 'text',
  parse: (_name, raw) => raw,
};

/** A secret such as a token: any non-empty text without surrounding spaces. */
export const secret: Parser<string> = {
  form: 'a non-empty token without spaces',
  parse(name, raw) {
    if (raw.length === 0 || /\s/.test(raw)) throw new ConfigError(name, '<hidden>', 'a non-empty token without spaces');
    return raw;
  },
};

/** A comma-separated list of URLs whose schemes are in `schemes`. */
export function urlList(schemes: readonly string[]): Parser<string[]> {
  const form = `a comma-separated list of ${schemes.join(' or ')} URLs`;
  return {
    form,
    parse(name, raw) {
      const items = raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      if (items.length === 0) throw new ConfigError(name, raw, form);
      for (const item of items) {
        if (!URL.canParse(item) || !schemes.includes(new URL(item).protocol.slice(0, -1))) {
          throw new ConfigError(name, raw, form);
        }
      }
      return items;
    },
  };
}

/** One URL whose scheme is in `schemes`. */
export function url(schemes: readonly string[]): Parser<string> {
  const form = `a ${schemes.join(', ')} URL`;
  return {
    form,
    parse(name, raw) {
      const value = raw.trim();
      if (!URL.canParse(value) || !schemes.includes(new URL(value).protocol.slice(0, -1))) {
        throw new ConfigError(name, raw, form);
      }
      // `file:` alone parses as a URL but names no file, and libSQL would open a throwaway database.
      if (value.startsWith('file:') && value.slice('file:'.length).replace(/^\/\//, '') === '') {
        throw new ConfigError(name, raw, 'a file: URL with a path, such as file:./data/skypulse.db');
      }
      return value;
    },
  };
}

/** A comma-separated list of web origins (`scheme://host[:port]`), as CORS compares them. */
export const originList: Parser<string[]> = {
  form: 'a comma-separated list of origins such as https://dashboard.example.org',
  parse(name, raw) {
    const items = raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
    for (const item of items) {
      const origin = URL.canParse(item) ? new URL(item) : null;
      if (!origin || !['http:', 'https:'].includes(origin.protocol) || origin.origin !== item.replace(/\/$/, '')) {
        throw new ConfigError(name, raw, this.form);
      }
    }
    return items.map((item) => item.replace(/\/$/, ''));
  },
};
