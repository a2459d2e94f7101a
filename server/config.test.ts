import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config.ts';

describe('the test-only crash hook (issue 6 §3)', () => {
  it('is off unless configured', () => {
    expect(loadConfig({}).crashAtCommit).toBeNull();
  });

  it('is honoured only under NODE_ENV=test: commit is the first commit, commit:N the Nth', () => {
    expect(loadConfig({ NODE_ENV: 'test', KEJING_TEST_CRASH_AT: 'commit' }).crashAtCommit).toBe(1);
    expect(loadConfig({ NODE_ENV: 'test', KEJING_TEST_CRASH_AT: 'commit:7' }).crashAtCommit).toBe(7);
  });

  it('stops start-up anywhere else rather than lie in wait in production', () => {
    expect(() => loadConfig({ KEJING_TEST_CRASH_AT: 'commit' })).toThrow(/仅供测试/);
    expect(() => loadConfig({ NODE_ENV: 'production', KEJING_TEST_CRASH_AT: 'commit:2' })).toThrow(/仅供测试/);
  });

  it('refuses a malformed value', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', KEJING_TEST_CRASH_AT: 'commit:0' })).toThrow(/KEJING_TEST_CRASH_AT/);
    expect(() => loadConfig({ NODE_ENV: 'test', KEJING_TEST_CRASH_AT: 'rollback' })).toThrow(/KEJING_TEST_CRASH_AT/);
  });
});
