import { describe, expect, it } from '@jest/globals';
import { DeliveryLog } from './deliveries.js';
import { handleWebhook } from './handler.js';
import { FakeWebhookTarget } from './testing/fake-webhook-target.js';
import { fixtureBody, fixtureNames, hmacSha256Hex, providerRequest } from './testing/webhook-requests.js';
import type { WebhookLogger, WebhookProvider, WebhookSecrets } from './types.js';

const secret = 'test-webhook-secret-3f9a';

/** Apps of every fixture repository, each written in another URL form than its payload uses. */
const apps = {
  'capstan/guestbook': 'git@github.com:acme/deploy-config',
  'capstan/api': 'https://GITHUB.com/Acme/Deploy-Config.git/',
  'capstan/gitlab-app': 'ssh://git@gitlab.example.com/platform/deploy-config.git',
  'capstan/bitbucket-app': 'https://bitbucket.org/Acme/deploy-config.git',
  'capstan/gitea-app': 'https://gitea.example.com/platform/deploy-config',
  'capstan/generic-app': 'git@git.example.com:platform/deploy-config.git',
  'capstan/unrelated': 'https://github.com/acme/other.git',
};

const expected: Record<WebhookProvider, { queued: string[]; reason: string }> = {
  github: {
    queued: ['capstan/api', 'capstan/guestbook'],
    reason: 'webhook: github push to refs/heads/main (0d1a26e) by octocat',
  },
  gitlab: { queued: ['capstan/gitlab-app'], reason: 'webhook: gitlab push to refs/heads/main (da15608) by jsmith' },
  bitbucket: { queued: ['capstan/bitbucket-app'], reason: 'webhook: bitbucket push to refs/heads/main (709d658) by jdoe' },
  gitea: { queued: ['capstan/gitea-app'], reason: 'webhook: gitea push to refs/heads/main (bffeb74) by alice' },
  generic: {
    queued: ['capstan/generic-app'],
    reason: 'webhook: generic push to refs/heads/main (4b825dc) by release-pipeline',
  },
};

const providers = Object.keys(expected) as WebhookProvider[];
const unsigned = { allowUnsigned: true };

/** Records every log line, to check that the logs say what happened and leak nothing. */
class RecordingLogger implements WebhookLogger {
  readonly lines: { level: string; obj: object; msg: string | undefined }[] = [];
  info(obj: object, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  debug(obj: object, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

describe('handleWebhook', () => {
  describe.each(providers)('a signed %s push', (provider) => {
    it('queues the apps of the repository and refreshes them once', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const response = handleWebhook(providerRequest(provider, body, { secret }), { [provider]: secret }, target);
      expect(response).toEqual({ status: 200, body: { queued: expected[provider].queued } });
      expect(target.refreshes).toHaveLength(1);
      expect(target.refreshes[0]?.appKeys).toEqual(expected[provider].queued);
      expect(target.refreshes[0]?.reason).toBe(expected[provider].reason);
    });

    it('is refused with 401 when signed with another secret, and refreshes nothing', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const response = handleWebhook(providerRequest(provider, body, { secret: 'wrong' }), { [provider]: secret }, target);
      expect(response).toEqual({ status: 401, body: { message: 'invalid signature' } });
      expect(target.refreshes).toEqual([]);
      expect(target.lookups).toEqual([]);
    });

    it('is refused with 401 when unsigned while a secret is set', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const response = handleWebhook(providerRequest(provider, body), { [provider]: secret }, target);
      expect(response).toEqual({ status: 401, body: { message: 'invalid signature' } });
      expect(target.refreshes).toEqual([]);
    });

    it('is refused with 401 when unsigned and only the other providers have a secret, and looks nothing up', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const others: WebhookSecrets = Object.fromEntries(providers.filter((p) => p !== provider).map((p) => [p, secret]));
      const response = handleWebhook(providerRequest(provider, body), others, target);
      expect(response).toEqual({ status: 401, body: { message: `no ${provider} secret is configured` } });
      expect(target.lookups).toEqual([]);
      expect(target.refreshes).toEqual([]);
    });

    it('is refused with 401 when signed with the secret another provider has', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const other = providers.find((p) => p !== provider) ?? 'generic';
      expect(handleWebhook(providerRequest(provider, body, { secret }), { [other]: secret }, target).status).toBe(401);
      expect(target.refreshes).toEqual([]);
    });

    it('is refused with 401 without any secret, signed or not', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      expect(handleWebhook(providerRequest(provider, body), {}, target).status).toBe(401);
      expect(handleWebhook(providerRequest(provider, body, { secret }), {}, target).status).toBe(401);
      expect(target.refreshes).toEqual([]);
    });

    it('is accepted unsigned when allowed, with a reason that says unverified and quotes nothing of the payload', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      const response = handleWebhook(providerRequest(provider, body), {}, target, unsigned);
      expect(response).toEqual({ status: 200, body: { queued: expected[provider].queued } });
      expect(target.refreshes).toHaveLength(1);
      expect(target.refreshes[0]?.reason).toBe(`webhook: unverified ${provider} push`);
    });

    it('still needs the signature when unsigned pushes are allowed but the provider has a secret', () => {
      const target = new FakeWebhookTarget(apps);
      const body = fixtureBody(fixtureNames[provider]);
      expect(handleWebhook(providerRequest(provider, body), { [provider]: secret }, target, unsigned).status).toBe(401);
      expect(target.refreshes).toEqual([]);
    });

    it('ignores a replay of a delivery it has seen, and refreshes once', () => {
      const target = new FakeWebhookTarget(apps);
      const deliveries = new DeliveryLog();
      const request = providerRequest(provider, fixtureBody(fixtureNames[provider]), { secret, delivery: 'delivery-1' });
      expect(handleWebhook(request, { [provider]: secret }, target, { deliveries }).status).toBe(200);
      expect(handleWebhook(request, { [provider]: secret }, target, { deliveries })).toEqual({ status: 200, body: { queued: [], message: 'duplicate delivery' } });
      expect(target.refreshes).toHaveLength(1);
    });
  });

  it('ignores a signed body replayed under a new delivery id when it names its commit', () => {
    const target = new FakeWebhookTarget(apps);
    const deliveries = new DeliveryLog();
    const body = fixtureBody('github-push.json');
    const first = handleWebhook(providerRequest('github', body, { secret, delivery: 'a' }), { github: secret }, target, { deliveries });
    const replay = handleWebhook(providerRequest('github', body, { secret, delivery: 'b' }), { github: secret }, target, { deliveries });
    expect(first.status).toBe(200);
    expect(replay.body.message).toBe('duplicate delivery');
    expect(target.refreshes).toHaveLength(1);
  });

  it('takes the same generic body again when it names a branch, not a commit (a CI job may send it after every commit)', () => {
    const target = new FakeWebhookTarget(apps);
    const deliveries = new DeliveryLog();
    const body = Buffer.from(JSON.stringify({ repoURL: 'git@git.example.com:platform/deploy-config.git', revision: 'main' }));
    for (let i = 0; i < 2; i++) handleWebhook(providerRequest('generic', body, { secret }), { generic: secret }, target, { deliveries });
    expect(target.refreshes).toHaveLength(2);
  });

  it('does not record deliveries it refused: a forged request cannot make the real one look like a replay', () => {
    const target = new FakeWebhookTarget(apps);
    const deliveries = new DeliveryLog();
    const body = fixtureBody('github-push.json');
    expect(handleWebhook(providerRequest('github', body, { secret: 'wrong', delivery: 'x' }), { github: secret }, target, { deliveries }).status).toBe(401);
    expect(handleWebhook(providerRequest('github', body, { secret, delivery: 'x' }), { github: secret }, target, { deliveries }).status).toBe(200);
    expect(target.refreshes).toHaveLength(1);
  });

  it('passes the pushed ref and commit on, so that the target can skip a commit it has already found', () => {
    const target = new FakeWebhookTarget(apps);
    handleWebhook(providerRequest('github', fixtureBody('github-push.json'), { secret }), { github: secret }, target);
    expect(target.refreshes[0]?.hint).toEqual({ ref: 'refs/heads/main', revision: expect.stringMatching(/^0d1a26e[0-9a-f]{33}$/) as unknown });
  });

  it('strips control and bidi characters from a verified push, and bounds its fields', () => {
    const target = new FakeWebhookTarget(apps);
    const payload = {
      ...(JSON.parse(fixtureBody('github-push.json').toString()) as object),
      ref: 'refs/heads/\u202Emain\u2066\u0007',
      sender: { login: `octo\u200Bcat\u202E\r\n${'x'.repeat(500)}` },
    };
    const body = Buffer.from(JSON.stringify(payload));
    handleWebhook(providerRequest('github', body, { secret }), { github: secret }, target);
    const reason = target.refreshes[0]?.reason ?? '';
    expect(reason).toMatch(/^webhook: github push to refs\/heads\/main \(0d1a26e\) by octocatx+…$/);
    expect(reason).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(reason.length).toBeLessThan(200);
  });

  it('rejects a body changed after signing', () => {
    const target = new FakeWebhookTarget(apps);
    const body = fixtureBody('github-push.json');
    const request = providerRequest('github', body, { secret });
    const tampered = Buffer.from(body.toString().replace('refs/heads/main', 'refs/heads/evil'));
    const response = handleWebhook({ headers: request.headers, body: tampered }, { github: secret }, target);
    expect(response.status).toBe(401);
    expect(target.refreshes).toEqual([]);
  });

  it('asks the target once with the normalised form of every repository URL, and refreshes one URL per repository', () => {
    const target = new FakeWebhookTarget(apps);
    handleWebhook(providerRequest('github', fixtureBody('github-push.json')), {}, target, unsigned);
    expect(target.lookups).toEqual([['github.com/acme/deploy-config']]);
    expect(target.refreshes[0]?.repoUrls).toEqual(['https://github.com/Acme/deploy-config.git']);
  });

  it('matches apps across https, ssh, scp-like, .git, trailing slash and case', () => {
    const forms = [
      'https://github.com/acme/deploy-config',
      'https://github.com/Acme/deploy-config.git',
      'https://github.com/ACME/DEPLOY-CONFIG/',
      'git@github.com:Acme/deploy-config.git',
      'ssh://git@github.com/acme/deploy-config.git',
      'ssh://git@github.com:22/acme/deploy-config',
      'https://token@github.com/acme/deploy-config.git',
    ];
    const target = new FakeWebhookTarget({
      ...Object.fromEntries(forms.map((url, i) => [`capstan/app-${i}`, url])),
      'capstan/fork': 'https://github.com/someone/deploy-config.git',
      'capstan/prefix': 'https://github.com/acme/deploy-config-extra.git',
      'capstan/other-host': 'https://gitlab.com/acme/deploy-config.git',
    });
    const body = Buffer.from(JSON.stringify({ repoURL: 'HTTPS://github.com/acme/Deploy-Config.git/' }));
    const response = handleWebhook(providerRequest('generic', body), {}, target, unsigned);
    expect(response.body.queued).toEqual(forms.map((_url, i) => `capstan/app-${i}`));
  });

  it('answers 200 with an empty list for a repository no app uses, and refreshes nothing', () => {
    const target = new FakeWebhookTarget({ 'capstan/unrelated': 'https://github.com/acme/other.git' });
    const response = handleWebhook(providerRequest('github', fixtureBody('github-push.json')), {}, target, unsigned);
    expect(response).toEqual({ status: 200, body: { queued: [] } });
    expect(target.refreshes).toEqual([]);
  });

  it('sorts the queued keys and lists each once', () => {
    const target = new FakeWebhookTarget(apps);
    target.applicationsFor = () => ['b/two', 'a/one', 'b/two', 'a/zero'];
    const response = handleWebhook(providerRequest('generic', fixtureBody('generic-push.json')), {}, target, unsigned);
    expect(response.body.queued).toEqual(['a/one', 'a/zero', 'b/two']);
    expect(target.refreshes[0]?.appKeys).toEqual(['a/one', 'a/zero', 'b/two']);
  });

  it('ignores a signed GitHub ping with 200 and an empty list', () => {
    const target = new FakeWebhookTarget(apps);
    const body = fixtureBody('github-ping.json');
    const response = handleWebhook(providerRequest('github', body, { secret, event: 'ping' }), { github: secret }, target);
    expect(response).toEqual({ status: 200, body: { queued: [], message: 'ignored event ping' } });
    expect(target.refreshes).toEqual([]);
  });

  it('answers an event it ignores from its headers alone, but refuses it when the provider has no secret', () => {
    const target = new FakeWebhookTarget(apps);
    const body = fixtureBody('github-ping.json');
    const ping = handleWebhook(providerRequest('github', body, { secret: 'wrong', event: 'ping' }), { github: secret }, target);
    expect(ping).toEqual({ status: 200, body: { queued: [], message: 'ignored event ping' } });
    expect(handleWebhook(providerRequest('github', body, { event: 'ping' }), { gitlab: secret }, target).status).toBe(401);
    expect(target.lookups).toEqual([]);
  });

  it('checks a GitLab token before anything else, since it needs no body', () => {
    const target = new FakeWebhookTarget(apps);
    const mergeRequest = providerRequest('gitlab', Buffer.alloc(0), { secret: 'wrong', event: 'Merge Request Hook' });
    expect(handleWebhook(mergeRequest, { gitlab: secret }, target)).toEqual({ status: 401, body: { message: 'invalid signature' } });
  });

  it('ignores other events of other providers', () => {
    const target = new FakeWebhookTarget(apps);
    const mergeRequest = providerRequest('gitlab', fixtureBody('gitlab-merge-request.json'), { event: 'Merge Request Hook' });
    expect(handleWebhook(mergeRequest, {}, target, unsigned)).toEqual({
      status: 200,
      body: { queued: [], message: 'ignored event Merge Request Hook' },
    });
    const pullRequest = providerRequest('bitbucket', Buffer.from('{}'), { event: 'pullrequest:created' });
    expect(handleWebhook(pullRequest, {}, target, unsigned).body.message).toBe('ignored event pullrequest:created');
    expect(target.refreshes).toEqual([]);
  });

  it('queues a GitLab tag push', () => {
    const target = new FakeWebhookTarget(apps);
    const request = providerRequest('gitlab', fixtureBody('gitlab-tag-push.json'), { secret, event: 'Tag Push Hook' });
    const response = handleWebhook(request, { gitlab: secret }, target);
    expect(response.body.queued).toEqual(['capstan/gitlab-app']);
    expect(target.refreshes[0]?.reason).toBe('webhook: gitlab push to refs/tags/v1.4.0 (da15608) by jsmith');
  });

  it('queues a Gogs push signed with X-Gogs-Signature only', () => {
    const target = new FakeWebhookTarget({ 'capstan/gogs-app': 'git@gogs.example.com:platform/deploy-config' });
    const body = fixtureBody('gogs-push.json');
    const headers = { 'content-type': 'application/json', 'x-gogs-event': 'push', 'x-gogs-signature': hmacSha256Hex(body, secret) };
    expect(handleWebhook({ headers, body }, { gitea: secret }, target).body.queued).toEqual(['capstan/gogs-app']);
  });

  it('checks a Gitea request against the gitea secret, though it also carries GitHub headers', () => {
    const target = new FakeWebhookTarget(apps);
    const request = providerRequest('gitea', fixtureBody('gitea-push.json'), { secret });
    expect(handleWebhook(request, { gitea: secret, github: 'another-secret' }, target).status).toBe(200);
    expect(handleWebhook(request, { gitea: 'another-secret', github: secret }, target).status).toBe(401);
  });

  it('reads a form-encoded GitHub payload and verifies the signature over the form body', () => {
    const target = new FakeWebhookTarget(apps);
    const json = fixtureBody('github-push.json').toString();
    const body = Buffer.from(new URLSearchParams({ payload: json }).toString());
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(body, secret)}`,
    };
    expect(handleWebhook({ headers, body }, { github: secret }, target).body.queued).toEqual(expected.github.queued);
  });

  it('answers 400 to invalid JSON and refreshes nothing', () => {
    const target = new FakeWebhookTarget(apps);
    const body = Buffer.from('{"repoURL": "https://git.example.com/platform/deploy-config.git",');
    expect(handleWebhook(providerRequest('generic', body), {}, target, unsigned)).toEqual({
      status: 400,
      body: { message: 'invalid JSON body' },
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push' };
    expect(handleWebhook({ headers: form, body: Buffer.from('other=1') }, {}, target, unsigned).status).toBe(400);
    expect(target.refreshes).toEqual([]);
  });

  it('answers 400 to a push that names no repository', () => {
    const target = new FakeWebhookTarget(apps);
    const response = handleWebhook(providerRequest('generic', Buffer.from('{"revision":"main"}')), {}, target, unsigned);
    expect(response).toEqual({ status: 400, body: { message: 'generic push payload names no repository' } });
    expect(target.refreshes).toEqual([]);
  });

  it('answers 400 to a request from no known provider', () => {
    const target = new FakeWebhookTarget(apps);
    const response = handleWebhook({ headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello') }, {}, target, unsigned);
    expect(response.status).toBe(400);
    expect(target.refreshes).toEqual([]);
  });

  it('gives no revision in the reason for a deleted branch', () => {
    const target = new FakeWebhookTarget(apps);
    const payload = { ...(JSON.parse(fixtureBody('github-push.json').toString()) as object), after: '0'.repeat(40), deleted: true };
    handleWebhook(providerRequest('github', Buffer.from(JSON.stringify(payload)), { secret }), { github: secret }, target);
    expect(target.refreshes[0]?.reason).toBe('webhook: github push to refs/heads/main by octocat');
    expect(target.refreshes[0]?.hint).toBeUndefined();
  });

  it('treats an empty secret as unset', () => {
    const target = new FakeWebhookTarget(apps);
    const request = providerRequest('github', fixtureBody('github-push.json'));
    expect(handleWebhook(request, { github: '' }, target).status).toBe(401);
    expect(handleWebhook(request, { github: '' }, target, unsigned).status).toBe(200);
  });

  it('warns once per provider that its requests are refused, or accepted unsigned', () => {
    const logger = new RecordingLogger();
    const options = { logger, warned: new Set<WebhookProvider>() };
    const target = new FakeWebhookTarget(apps);
    for (let i = 0; i < 3; i++) handleWebhook(providerRequest('github', fixtureBody('github-push.json')), {}, target, options);
    handleWebhook(providerRequest('gitlab', fixtureBody('gitlab-push.json')), {}, target, options);
    handleWebhook(providerRequest('generic', fixtureBody('generic-push.json'), { secret }), { generic: secret }, target, options);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.obj)).toEqual([{ provider: 'github' }, { provider: 'gitlab' }]);
    expect(warnings[0]?.msg).toMatch(/refused: set the "github" key/);
    const allowing = new RecordingLogger();
    handleWebhook(providerRequest('github', fixtureBody('github-push.json')), {}, target, { ...unsigned, logger: allowing });
    expect(allowing.lines.find((line) => line.level === 'warn')?.msg).toMatch(/accepted unsigned/);
  });

  it('logs what it queued without secrets, signatures or the body', () => {
    const logger = new RecordingLogger();
    const target = new FakeWebhookTarget(apps);
    const body = fixtureBody('github-push.json');
    const request = providerRequest('github', body, { secret });
    handleWebhook(request, { github: secret }, target, { logger });
    handleWebhook(providerRequest('github', body, { secret: 'wrong' }), { github: secret }, target, { logger });
    const text = logger.text();
    expect(logger.lines.find((line) => line.level === 'info')?.obj).toMatchObject({
      provider: 'github',
      ref: 'refs/heads/main',
      queued: expected.github.queued,
    });
    expect(logger.lines.find((line) => line.level === 'warn')?.msg).toMatch(/invalid signature/);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(hmacSha256Hex(body, secret));
    expect(text).not.toContain('raise replicas');
    expect(target.refreshes.map((r) => r.reason).join()).not.toContain(secret);
  });

  it('removes credentials from the repository URLs it logs and passes on', () => {
    const logger = new RecordingLogger();
    const target = new FakeWebhookTarget({ 'capstan/app': 'https://git.example.com/platform/deploy-config.git' });
    const body = Buffer.from(JSON.stringify({ repoURL: 'https://ci-bot:hunter2@git.example.com/platform/deploy-config.git' }));
    handleWebhook(providerRequest('generic', body), {}, target, { ...unsigned, logger });
    expect(target.refreshes[0]?.repoUrls).toEqual(['https://git.example.com/platform/deploy-config.git']);
    expect(logger.text()).not.toContain('hunter2');
  });
});
