/**
 * The read tools, in the order they are listed to a model. The proposal tools live beside them
 * in their own file; the full tool set is the concatenation.
 */
import type { AgentTool } from '../tool.js';
import { describeObject } from './describe-object.js';
import { getRecord } from './get-record.js';
import { listObjects } from './list-objects.js';
import { query } from './query.js';
import { search } from './search.js';

export const readTools: AgentTool[] = [listObjects, describeObject, search, query, getRecord] as unknown as AgentTool[];
