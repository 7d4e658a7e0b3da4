/** One REST operation of Twilio's OpenAPI description, reduced to what the simulator checks. */
export interface SpecOperation {
  operationId: string;
  host: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The spec's path template, e.g. `/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  bodyParams: string[];
  requiredBodyParams: string[];
  /** The success status code. */
  status: number;
  /** Name of the resource schema returned (or listed). */
  resource: string | null;
  /** For list operations: the key holding the array (`conferences`, `tasks`, ...). */
  listKey: string | null;
  listMetaKeys: string[];
}

export interface SpecResource {
  /** Every JSON field of the resource, in the spec's order. */
  fields: string[];
  /** Enumerated values of the fields that have them. */
  enums: Record<string, string[]>;
}
