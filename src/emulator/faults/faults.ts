/**
 * Injected faults: for requests whose path matches, answer with a given status/body, add latency,
 * reset the connection before answering, or cut the body half-way (reset mid-page), `times` times.
 */
import { z } from 'zod';

export const faultSchema = z.object({
  /** Regular expression (JavaScript syntax) tested against the request path + query. */
  path: z.string().min(1),
  method: z.string().optional(),
  /** Host roles it applies to; all when absent. */
  hosts: z.array(z.enum(['login', 'sandbox', 'mydomain'])).optional(),
  status: z.number().int().min(100).max(599).optional(),
  /** Body to answer with: a string as is, anything else as JSON. */
  body: z.unknown().optional(),
  contentType: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** `reset` destroys the socket before answering; `reset-mid-body` sends part of the real answer then destroys it. */
  reset: z.enum(['reset', 'reset-mid-body']).optional(),
  /** How many matching requests it applies to. */
  times: z.number().int().positive().default(1),
});
export type FaultSpec = z.infer<typeof faultSchema>;

export interface ActiveFault extends FaultSpec {
  id: number;
  regex: RegExp;
  remaining: number;
  hits: number;
}

export class FaultSet {
  private seq = 0;
  private readonly faults: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    let regex: RegExp;
    try {
      regex = new RegExp(spec.path);
    } catch (e) {
      throw new Error(`fault "path" is not a valid regular expression: ${(e as Error).message}`);
    }
    const f: ActiveFault = { ...spec, id: ++this.seq, regex, remaining: spec.times, hits: 0 };
    this.faults.push(f);
    return f;
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(method: string, pathAndQuery: string, host: string): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      if (f.hosts && !f.hosts.includes(host as 'login')) continue;
      if (!f.regex.test(pathAndQuery)) continue;
      f.remaining--;
      f.hits++;
      return f;
    }
    return undefined;
  }

  list(): ActiveFault[] {
    return this.faults.filter((f) => f.remaining > 0);
  }

  clear(): void {
    this.faults.length = 0;
  }
}
