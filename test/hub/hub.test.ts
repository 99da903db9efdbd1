import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Hub } from '../../src/hub/hub.ts';
import { languageSubtags, primaryLanguage, primarySubtag } from '../../src/hub/post-language.ts';

interface Events {
  tick: number;
  other: string;
}

const hub = suite('hub');

hub('delivers to listeners in subscription order', async () => {
  const events = new Hub<Events>();
  const seen: string[] = [];
  events.subscribe('tick', (value) => void seen.push(`a${value}`));
  events.subscribe('tick', (value) => void seen.push(`b${value}`));
  events.subscribe('other', (value) => void seen.push(`other${value}`));
  await events.publish('tick', 1);
  assert.equal(seen, ['a1', 'b1'], 'both tick listeners, in order, and not the other event');
});

hub('publish waits for async listeners', async () => {
  const events = new Hub<Events>();
  let finished = false;
  events.subscribe('tick', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    finished = true;
  });
  await events.publish('tick', 1);
  assert.ok(finished, 'the slow listener finished before publish resolved');
});

hub('a failing listener does not stop the others', async () => {
  const events = new Hub<Events>();
  let reached = 0;
  events.subscribe('tick', () => {
    throw new Error('first failed');
  });
  events.subscribe('tick', async () => {
    reached += 1;
    throw new Error('second failed');
  });
  events.subscribe('tick', () => void (reached += 1));
  try {
    await events.publish('tick', 1);
    assert.unreachable('publish should reject');
  } catch (error) {
    assert.is((error as Error).message, 'first failed', 'the first failure is re-thrown');
  }
  assert.is(reached, 2, 'the other listeners ran');
});

hub('unsubscribe removes only that listener', async () => {
  const events = new Hub<Events>();
  const seen: string[] = [];
  const remove = events.subscribe('tick', () => void seen.push('removed'));
  events.subscribe('tick', () => void seen.push('kept'));
  remove();
  await events.publish('tick', 1);
  assert.equal(seen, ['kept'], 'only the remaining listener ran');
  assert.is(events.listenerCount('tick'), 1, 'listener count');
});

hub('publish without listeners resolves', async () => {
  await new Hub<Events>().publish('other', 'x');
});

hub.run();

// ---

const languages = suite('post languages');

languages('primary subtag of a tag', () => {
  assert.is(primarySubtag('pt-BR'), 'pt', 'region dropped');
  assert.is(primarySubtag('EN'), 'en', 'lower-cased');
  assert.is(primarySubtag('zh-Hant-TW'), 'zh', 'script and region dropped');
  assert.is(primarySubtag('english'), null, 'a word is not a subtag');
  assert.is(primarySubtag('x-klingon'), null, 'private use is not a language');
});

languages('primary language and subtags of a post', () => {
  assert.is(primaryLanguage([]), 'und', 'none declared');
  assert.is(primaryLanguage(['nonsense', 'de-AT']), 'de', 'first well-formed tag');
  assert.equal(languageSubtags(['en-US', 'en-GB', 'ja']), ['en', 'ja'], 'distinct subtags');
  assert.equal(languageSubtags(['bogus!']), ['und'], 'only malformed tags');
});

languages.run();
