/** One REST request the simulator answered. */
export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  operationId: string | null;
  /** Body fields (POST) or query fields (GET), as sent. */
  params: Record<string, string | string[]>;
  /** Fields the operation does not define in Twilio's OpenAPI description. */
  unknownParams: string[];
  status: number;
}

/** Every REST request, so tests can assert what the server asked Twilio to do. */
export class RequestLog {
  readonly records: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.records.push(record);
  }

  of(operationId: string): RequestRecord[] {
    return this.records.filter((r) => r.operationId === operationId);
  }

  /** Requests that named a parameter their operation does not define. */
  withUnknownParams(): RequestRecord[] {
    return this.records.filter((r) => r.unknownParams.length > 0);
  }
}
