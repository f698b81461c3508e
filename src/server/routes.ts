/**
 * Every endpoint, in registration order. Literal paths come before parameterised siblings
 * (`/integrations/resolve` before `/integrations/{id}`) because Hono runs the first match.
 */
import { salesforceCallback } from './api/integrations/callback/salesforce.js';
import { agentToolEndpoints } from './api/v1/agent/[connection]/[tool].js';
import { listAgentTools } from './api/v1/agent/tools.js';
import { revokeApiKey } from './api/v1/api-keys/[id].js';
import { createApiKey, listApiKeys } from './api/v1/api-keys/index.js';
import { changePassword } from './api/v1/auth/password.js';
import { stepUp } from './api/v1/auth/step-up.js';
import { proxyCall } from './api/v1/connections/[id]/proxy.js';
import { listChanges } from './api/v1/connections/[id]/records/[object].js';
import { deleteConnection, getConnection } from './api/v1/connections/[id].js';
import { pollDevice } from './api/v1/connections/device/[id]/poll.js';
import { listConnections, startConnection } from './api/v1/connections/index.js';
import { putIntegrationSecrets } from './api/v1/integrations/[id]/secrets.js';
import { deleteIntegration, getIntegration, patchIntegration } from './api/v1/integrations/[id].js';
import { createIntegration, listIntegrations } from './api/v1/integrations/index.js';
import { resolveForCaller } from './api/v1/integrations/resolve.js';
import { openApiEndpoint } from './api/v1/openapi.json.js';
import { listDeliveries } from './api/v1/webhooks/[id]/deliveries.js';
import { deleteWebhook } from './api/v1/webhooks/[id].js';
import { createWebhook, listWebhooks } from './api/v1/webhooks/index.js';
import { listAuditEndpoint } from './api/v1/audit.js';
import { approveProposalEndpoint } from './api/v1/proposals/[id]/approve.js';
import { recoverProposalEndpoint } from './api/v1/proposals/[id]/recover.js';
import { rejectProposalEndpoint } from './api/v1/proposals/[id]/reject.js';
import { undoProposalEndpoint } from './api/v1/proposals/[id]/undo.js';
import { getProposal } from './api/v1/proposals/[id].js';
import { listProposals } from './api/v1/proposals/index.js';
import type { Endpoint } from './endpoint.js';

export const ENDPOINTS: Endpoint[] = [
  openApiEndpoint,
  stepUp,
  changePassword,
  listApiKeys,
  createApiKey,
  revokeApiKey,
  listIntegrations,
  createIntegration,
  resolveForCaller,
  getIntegration,
  patchIntegration,
  deleteIntegration,
  putIntegrationSecrets,
  listConnections,
  startConnection,
  pollDevice,
  getConnection,
  deleteConnection,
  proxyCall,
  listChanges,
  listAgentTools,
  ...agentToolEndpoints,
  listWebhooks,
  createWebhook,
  listDeliveries,
  deleteWebhook,
  listProposals,
  getProposal,
  approveProposalEndpoint,
  rejectProposalEndpoint,
  recoverProposalEndpoint,
  undoProposalEndpoint,
  listAuditEndpoint,
  salesforceCallback,
];
