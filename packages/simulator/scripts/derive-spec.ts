/**
 * Derives src/spec/operations.generated.ts from Twilio's OpenAPI descriptions. Run by hand
 * when the simulator serves a new operation:
 *
 *   npx tsx packages/simulator/scripts/derive-spec.ts <dir holding twilio_api_v2010.json and twilio_taskrouter_v1.json>
 *
 * The simulator and its tests only ever read the generated module, never the specs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
  required?: string[];
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, Schema> };
}

const wanted: Record<string, string[]> = {
  'twilio_api_v2010.json': [
    'FetchConference',
    'UpdateConference',
    'ListConference',
    'CreateParticipant',
    'FetchParticipant',
    'UpdateParticipant',
    'DeleteParticipant',
    'ListParticipant',
    'CreateCall',
    'FetchCall',
    'UpdateCall',
    'ListCall',
  ],
  'twilio_taskrouter_v1.json': [
    'CreateTask',
    'FetchTask',
    'UpdateTask',
    'ListTask',
    'FetchTaskReservation',
    'UpdateTaskReservation',
    'ListTaskReservation',
    'FetchWorkerReservation',
    'UpdateWorkerReservation',
    'ListWorkerReservation',
    'FetchWorker',
    'UpdateWorker',
    'ListWorker',
    'FetchWorkflow',
    'ListWorkflow',
    'FetchTaskQueue',
    'ListTaskQueue',
  ],
};

const hosts: Record<string, string> = {
  'twilio_api_v2010.json': 'api.twilio.com',
  'twilio_taskrouter_v1.json': 'taskrouter.twilio.com',
};

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: derive-spec.ts <directory of Twilio OpenAPI JSON files>');
  process.exit(2);
}

function refName(schema: Schema | undefined): string | null {
  return schema?.$ref === undefined ? null : (schema.$ref.split('/').pop() ?? null);
}

const operations: unknown[] = [];
const resources: Record<string, { fields: string[]; enums: Record<string, string[]> }> = {};

for (const [file, ids] of Object.entries(wanted)) {
  const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Spec;
  const addResource = (name: string): void => {
    if (resources[name] !== undefined) return;
    const schema = spec.components.schemas[name];
    if (schema?.properties === undefined) throw new Error(`no schema ${name}`);
    const enums: Record<string, string[]> = {};
    for (const [field, property] of Object.entries(schema.properties)) {
      const ref = refName(property);
      const values = ref === null ? undefined : spec.components.schemas[ref]?.enum;
      if (values !== undefined) enums[field] = values;
    }
    resources[name] = { fields: Object.keys(schema.properties), enums };
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'delete']) {
      const op = item[method] as Operation | undefined;
      if (op === undefined || !ids.includes(op.operationId)) continue;
      const params = op.parameters ?? [];
      const body = op.requestBody?.content['application/x-www-form-urlencoded']?.schema;
      const [status, response] = Object.entries(op.responses)[0] ?? ['200', {}];
      const schema = response.content?.['application/json']?.schema;
      let resource = refName(schema);
      let listKey: string | null = null;
      if (resource === null && schema?.properties !== undefined) {
        for (const [key, property] of Object.entries(schema.properties)) {
          if (property.type === 'array') {
            listKey = key;
            resource = refName(property.items);
          }
        }
      }
      if (resource !== null) addResource(resource);
      operations.push({
        operationId: op.operationId,
        host: hosts[file],
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        headerParams: params.filter((p) => p.in === 'header').map((p) => p.name),
        bodyParams: Object.keys(body?.properties ?? {}),
        requiredBodyParams: body?.required ?? [],
        status: Number(status),
        resource,
        listKey,
        listMetaKeys:
          listKey === null
            ? []
            : Object.keys(schema?.properties ?? {}).filter((k) => k !== listKey),
      });
    }
  }
  for (const id of ids) {
    if (!operations.some((op) => (op as { operationId: string }).operationId === id)) {
      throw new Error(`operation ${id} not found in ${file}`);
    }
  }
}

const out = `// GENERATED by scripts/derive-spec.ts from Twilio's OpenAPI descriptions
// (twilio/twilio-oai, MIT). Do not edit by hand: re-run the script.
import type { SpecOperation, SpecResource } from './types.ts';

export const specOperations: readonly SpecOperation[] = ${JSON.stringify(operations, null, 2)};

export const specResources: Readonly<Record<string, SpecResource>> = ${JSON.stringify(resources, null, 2)};
`;
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'spec',
  'operations.generated.ts',
);
writeFileSync(target, out);
console.log(
  `wrote ${operations.length} operations, ${Object.keys(resources).length} resources to ${target}`,
);
