import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

const COMMAND_OUTPUT_BYTES_MAX = 16 * 1024 * 1024;

/** Runs a program without a shell; a non-zero exit rejects with its output in the message. */
export function runCommand(file: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: COMMAND_OUTPUT_BYTES_MAX }, (error, stdout, stderr) => {
      if (error) {
        const output = `${stdout}${stderr}`.trim();
        const how = error.killed ? `was killed after ${timeoutMs} ms` : `exited with ${String(error.code)}`;
        reject(new Error(`${file} ${args.join(' ')} ${how}${output ? `\n${output}` : ''}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}
