/**
 * Thrown when a local service for tests cannot be started because this machine
 * lacks what it needs (binaries, a system user). The orchestrator catches it and
 * lets the suites that need the service skip, or fail under CI.
 */
export class ServiceUnavailable extends Error {
  readonly service: string;
  readonly reason: string;

  constructor(service: string, reason: string) {
    super(`${service} unavailable: ${reason}`);
    this.name = 'ServiceUnavailable';
    this.service = service;
    this.reason = reason;
  }
}

/** Runs a check that throws `ServiceUnavailable`, and returns its reason, if any. */
export function unavailableReason(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof ServiceUnavailable) return error.message;
    throw error;
  }
}
