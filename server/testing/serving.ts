import type { ChildProcess } from 'node:child_process';

/** A Hawker node started as a child process. */
export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Settles when the process exits or cannot be spawned. */
  exited: Promise<void>;
}

/**
 * Resolves once the node answers /healthz (whatever its verdict); fails if it exits, `stopped()` turns
 * true or `timeoutMs` passes first. For the cluster launcher and the cluster tests alike.
 */
export async function untilServing(node: NodeProcess, timeoutMs: number, stopped: () => boolean = () => false): Promise<void> {
  let gone = false;
  void node.exited.then(() => (gone = true));
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (gone) throw new Error(`${node.name} exited (${node.child.signalCode ?? `code ${node.child.exitCode}`}) before it served`);
    if (stopped()) throw new Error(`${node.name} was stopped before it served`);
    const answered = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
    if (answered) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${node.name} did not serve within ${timeoutMs / 1000} s`);
}
