/**
 * The api's one entry point: `handle(name, input)` looks the request up in the contract, validates its
 * input with the contract's zod schema, calls the service method and answers a Reply. Unknown names,
 * invalid input and every thrown error become `{ok: false, error}`; nothing throws across.
 */
import type { z } from 'zod';
import { requests, type ApiEvent, type Reply, type RequestName, type RequestOutput } from './contract';
import { fromZodError, toApiError } from './errors';

/** The validated (parsed) input of a request. */
export type ParsedInput<K extends RequestName> = z.output<(typeof requests)[K]['input']>;

/** One implementation per request; services/index.ts builds it from the store, datasets and host. */
export type ServiceMethods = {
  [K in RequestName]: (input: ParsedInput<K>) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

export interface ApiServices {
  methods: ServiceMethods;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export interface Api {
  handle(name: string, input: unknown): Promise<Reply<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

export function createApi(services: ApiServices): Api {
  const handle = async (name: string, input: unknown): Promise<Reply<unknown>> => {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'unknown_request', message: `unknown request '${String(name).slice(0, 80)}'` } };
    }
    const parsed = requests[name].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: fromZodError(parsed.error) };
    try {
      const method = services.methods[name] as (input: unknown) => unknown;
      const data = await method(parsed.data);
      return { ok: true, data };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  };
  return { handle, subscribe: (listener) => services.subscribe(listener) };
}
