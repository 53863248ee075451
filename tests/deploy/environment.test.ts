import { describe, expect, it } from 'vitest';
import { configFromEnv, DeploymentConfigError } from '../../api/_kernel/config';
import { cron_secret_length_min, defaultPublicBaseUrl, deployedEnvProblems, deploymentEnvironment } from '../../api/_kernel/environment';

/** Everything a production deployment needs, valid; each test takes one thing away or changes it. */
const production = {
  VERCEL_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@ep-cool-1-pooler.eu-central-1.aws.neon.tech/guitai',
  UPSTASH_REDIS_REST_URL: 'https://eu1-cool.upstash.io',
  UPSTASH_REDIS_REST_TOKEN: 'token',
  SESSION_SECRET: 's'.repeat(32),
  CRON_SECRET: 'c'.repeat(cron_secret_length_min),
  VERCEL_PROJECT_PRODUCTION_URL: 'guitai.example.com',
};

const preview = {
  ...production,
  VERCEL_ENV: 'preview',
  DATABASE_URL: 'postgres://u:p@ep-branch-2.eu-central-1.aws.neon.tech/guitai',
  VERCEL_URL: 'guitai-abc123-team.vercel.app',
  VERCEL_BRANCH_URL: 'guitai-git-feature-team.vercel.app',
};

describe('which deployment this is', () => {
  it('reads VERCEL_ENV, then NODE_ENV', () => {
    expect(deploymentEnvironment({ VERCEL_ENV: 'preview', NODE_ENV: 'production' })).toBe('preview');
    expect(deploymentEnvironment({ VERCEL_ENV: 'production' })).toBe('production');
    expect(deploymentEnvironment({ VERCEL_ENV: 'development' })).toBe('development');
    expect(deploymentEnvironment({ NODE_ENV: 'production' })).toBe('production');
    // VERCEL=1 alone (set in every Vercel environment) no longer makes a preview count as production.
    expect(deploymentEnvironment({ VERCEL: '1' })).toBe('local');
    expect(deploymentEnvironment({})).toBe('local');
  });
});

describe('what a deployment needs before it serves', () => {
  it('accepts a complete production environment', () => {
    expect(deployedEnvProblems(production, 'production')).toEqual([]);
    const config = configFromEnv(production);
    expect(config.environment).toBe('production');
    expect(config.production).toBe(true);
    expect(config.publicBaseUrl).toBe('https://guitai.example.com');
  });

  it('names every missing piece at once', () => {
    const { DATABASE_URL: _d, UPSTASH_REDIS_REST_TOKEN: _t, ...rest } = production;
    const problems = deployedEnvProblems({ ...rest, CRON_SECRET: 'short' }, 'production');
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/DATABASE_URL is not set/);
    expect(problems.join('\n')).toMatch(/CRON_SECRET must be at least 32/);
    expect(problems.join('\n')).toMatch(/UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN/);
    expect(() => configFromEnv({ ...rest })).toThrow(DeploymentConfigError);
  });

  it('refuses short secrets, no notification address and a plain-http Upstash, each by name', () => {
    expect(deployedEnvProblems({ ...production, SESSION_SECRET: 's'.repeat(31) }, 'production')).toEqual([expect.stringMatching(/SESSION_SECRET must be at least 32/)]);
    expect(deployedEnvProblems({ ...production, CRON_SECRET: 'c'.repeat(cron_secret_length_min - 1) }, 'production')).toEqual([expect.stringMatching(/CRON_SECRET must be at least 32/)]);
    const { VERCEL_PROJECT_PRODUCTION_URL: _p, ...noAddress } = production;
    expect(deployedEnvProblems(noAddress, 'production')).toEqual([expect.stringMatching(/PUBLIC_BASE_URL must be set/)]);
    expect(deployedEnvProblems({ ...production, UPSTASH_REDIS_REST_URL: 'http://eu1-cool.upstash.io' }, 'production')).toEqual(['UPSTASH_REDIS_REST_URL must be an https address']);
    expect(deployedEnvProblems({ ...production, PUBLIC_BASE_URL: 'http://guitai.example.com' }, 'production')).toEqual(['PUBLIC_BASE_URL must be an https address']);
    expect(() => configFromEnv({ ...production, UPSTASH_REDIS_REST_TOKEN: ' ' })).toThrow(DeploymentConfigError);
  });

  it('takes the job queue whole or not at all: without it the crons work in place; half of it is refused by name', () => {
    expect(configFromEnv(production).queue).toBeNull();
    const queue = { QSTASH_TOKEN: 'qstash-token', QSTASH_CURRENT_SIGNING_KEY: 'sig_current', QSTASH_NEXT_SIGNING_KEY: 'sig_next' };
    expect(deployedEnvProblems({ ...production, ...queue }, 'production')).toEqual([]);
    expect(configFromEnv({ ...production, ...queue }).queue).toEqual({ url: 'https://qstash.upstash.io', token: 'qstash-token', currentSigningKey: 'sig_current', nextSigningKey: 'sig_next' });
    const { QSTASH_NEXT_SIGNING_KEY: _n, ...half } = queue;
    expect(deployedEnvProblems({ ...production, ...half }, 'production')).toEqual([expect.stringMatching(/^QSTASH_NEXT_SIGNING_KEY must be set with QSTASH_TOKEN, QSTASH_CURRENT_SIGNING_KEY/)]);
    expect(() => configFromEnv({ ...production, ...half })).toThrow(DeploymentConfigError);
    // A developer's machine is told too, rather than enqueueing messages nobody can verify.
    expect(() => configFromEnv({ ...half })).toThrow(/QSTASH_NEXT_SIGNING_KEY must be set/);
    expect(deployedEnvProblems({ ...production, ...queue, QSTASH_URL: 'http://qstash.example.com' }, 'production')).toEqual(['QSTASH_URL must be an https address']);
    expect(configFromEnv({ ...queue, QSTASH_URL: 'http://127.0.0.1:8789/' }).queue?.url).toBe('http://127.0.0.1:8789');
  });

  it('asks a service provider taking Alipay for the key that seals merchants\' tokens', () => {
    expect(deployedEnvProblems({ ...production, ALIPAY_MODE: 'isv' }, 'production')).toEqual([expect.stringMatching(/^GUITAI_SECRET_KEY must be set when ALIPAY_MODE=isv/)]);
    expect(deployedEnvProblems({ ...production, ALIPAY_MODE: 'isv', GUITAI_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }, 'production')).toEqual([]);
  });

  it("takes Alipay's AES key as optional (phone binding answers 503 without it), but refuses one that is not a 16- or 32-byte key", () => {
    expect(deployedEnvProblems(production, 'production')).toEqual([]);
    expect(deployedEnvProblems({ ...production, ALIPAY_AES_KEY: Buffer.alloc(16, 3).toString('base64') }, 'production')).toEqual([]);
    expect(deployedEnvProblems({ ...production, ALIPAY_AES_KEY: Buffer.alloc(32, 3).toString('base64') }, 'production')).toEqual([]);
    expect(deployedEnvProblems({ ...production, ALIPAY_AES_KEY: Buffer.alloc(24, 3).toString('base64') }, 'production')).toEqual([expect.stringMatching(/^ALIPAY_AES_KEY must be the Base64 of a 16- or 32-byte/)]);
    expect(deployedEnvProblems({ ...production, ALIPAY_AES_KEY: 'not a key!' }, 'production')).toEqual([expect.stringMatching(/^ALIPAY_AES_KEY must be/)]);
  });

  it('refuses the embedded database and plain-http hosts, except on loopback', () => {
    expect(deployedEnvProblems({ ...production, DATABASE_URL: 'pglite:.data/x' }, 'production')).toEqual([expect.stringMatching(/embedded PGlite/)]);
    expect(deployedEnvProblems({ ...production, WECHATPAY_API_BASE: 'http://pay.example.com' }, 'production')).toEqual(['WECHATPAY_API_BASE must be an https address']);
    expect(deployedEnvProblems({ ...production, ALIPAY_GATEWAY: 'http://127.0.0.1:8788/gateway.do', UPSTASH_REDIS_REST_URL: 'http://localhost:9000' }, 'production')).toEqual([]);
  });

  it('asks nothing of a developer machine or vercel dev', () => {
    expect(deployedEnvProblems({}, 'local')).toEqual([]);
    expect(deployedEnvProblems({ VERCEL_ENV: 'development' }, 'development')).toEqual([]);
    expect(configFromEnv({}).publicBaseUrl).toBe('http://127.0.0.1:8787');
  });
});

describe('a preview', () => {
  it('sends notifications to its own branch address, never to production', () => {
    expect(defaultPublicBaseUrl(preview, 'preview')).toBe('https://guitai-git-feature-team.vercel.app');
    const { VERCEL_BRANCH_URL: _b, ...noBranch } = preview;
    expect(defaultPublicBaseUrl(noBranch, 'preview')).toBe('https://guitai-abc123-team.vercel.app');
    expect(configFromEnv(preview).publicBaseUrl).toBe('https://guitai-git-feature-team.vercel.app');
    expect(deployedEnvProblems({ ...preview, PUBLIC_BASE_URL: 'https://guitai.example.com' }, 'preview')).toEqual([expect.stringMatching(/PUBLIC_BASE_URL is the production address/)]);
  });

  it('never pays with live keys: payment settings need a sandbox host', () => {
    expect(deployedEnvProblems({ ...preview, WECHATPAY_MCHID: '1900000001' }, 'preview')).toEqual([expect.stringMatching(/WECHATPAY_MCHID is set with the live WeChat Pay host/)]);
    expect(deployedEnvProblems({ ...preview, ALIPAY_SELLER_ID: '2088000000000001' }, 'preview')).toEqual([expect.stringMatching(/ALIPAY_SELLER_ID is set with the live Alipay gateway/)]);
    expect(deployedEnvProblems({ ...preview, ALIPAY_SELLER_ID: '2088000000000001', ALIPAY_GATEWAY: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do' }, 'preview')).toEqual([]);
    // Production itself pays live, of course.
    expect(deployedEnvProblems({ ...production, WECHATPAY_MCHID: '1900000001', ALIPAY_SELLER_ID: '2088000000000001' }, 'production')).toEqual([]);
  });
});
