/**
 * The shape every surface (HTTP API, CLI, MCP stdio and HTTP) runs tools through: a tool list and
 * a runner. The runner is {@link runTool} (find → validate input → open the context → run →
 * validate output → audit hook), so the checks cannot differ between surfaces.
 */
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import { runTool } from './run.js';
import type { AgentTool } from './tool.js';

/** Runs the tool `name` with a raw (unvalidated) input; resolves with the validated output. */
export type AgentToolRunner = (hub: Hub, user: HubUser, connection: string, name: string, rawInput: unknown) => Promise<unknown>;

/** The tools a surface exposes and the runner that executes them. */
export interface AgentToolSet {
  tools: AgentTool[];
  run: AgentToolRunner;
}

/** A tool set over `tools`, run by {@link runTool} without an audit hook (tests). */
export function toolSet(tools: AgentTool[]): AgentToolSet {
  return { tools, run: (hub, user, connection, name, rawInput) => runTool(hub, user, connection, name, rawInput, { tools }) };
}
