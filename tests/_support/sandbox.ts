import { afterAll, beforeAll } from 'vitest';
import { generateSandboxKeys, type SandboxKeys } from '../../tools/sandbox/keys';
import { startSandbox, type StartedSandbox } from '../../tools/sandbox/server';

/** A sandbox with fresh keys for one suite: started before its tests, stopped after. Read the fields inside tests. */
export function useSandbox(): { keys: SandboxKeys; sandbox: StartedSandbox } {
  const ctx = {} as { keys: SandboxKeys; sandbox: StartedSandbox };
  beforeAll(async () => {
    ctx.keys = await generateSandboxKeys();
    ctx.sandbox = await startSandbox({ keys: ctx.keys });
  });
  afterAll(async () => {
    await ctx.sandbox?.stop();
  });
  return ctx;
}
