import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors.js';
import type { AppContext } from './context.js';

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

function check<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = issuesOf(parsed.error);
  const first = fields[0];
  throw new AppError('validation_failed', `请求参数有误（${where}）：${first ? `${first.path}: ${first.message}` : '不合法'}`, fields);
}

/** Reads and validates a JSON body. The body-size limit has already run as middleware. */
export async function readJson<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('bad_request', '请求体必须是 JSON（Content-Type: application/json）');
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', '请求体不是合法的 JSON');
  }
  return check(schema, value, 'body');
}

export function readQuery<S extends z.ZodType>(c: AppContext, schema: S): z.infer<S> {
  return check(schema, c.req.query(), 'query');
}

export function readParams<S extends z.ZodType>(c: AppContext, schema: S): z.infer<S> {
  return check(schema, c.req.param(), 'path');
}
