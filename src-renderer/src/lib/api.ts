/**
 * The renderer's only door to the services: the Electron preload bridge (`window.neurograph`) when
 * present, else a WebSocket client speaking the wire format of src-main/api/contract.ts.
 */
import type {
  ApiEvent,
  AppCommandBridge,
  NeurographApi,
  Reply,
  RequestInput,
  RequestName,
  RequestOutput,
  WireEvent,
  WireReply,
  WireRequest,
} from '../../../src-main/api';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A NeurographApi that also reports the state of its connection (always 'open' in Electron). */
export interface ApiClient extends NeurographApi {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

declare global {
  interface Window {
    /** Electron's preload bridge: the api, and the shell's commands (menu items, opened files). */
    neurograph?: NeurographApi & Partial<AppCommandBridge>;
  }
}

const WS_PATH = '/api';
const REQUEST_TIMEOUT_MS = 60_000;

interface Pending {
  resolve(reply: Reply<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}

/** WebSocket transport with request ids, replies, pushed events and automatic reconnect. */
export class WsApiClient implements ApiClient {
  state: ConnectionState = 'connecting';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private queue: WireRequest[] = [];
  private eventListeners = new Set<(event: ApiEvent) => void>();
  private stateListeners = new Set<(state: ConnectionState) => void>();
  private retryMs = 250;

  constructor(private readonly url: string) {
    this.connect();
  }

  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Reply<RequestOutput<K>>> {
    const id = this.nextId++;
    const message: WireRequest = { id, name, input };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'failed', message: `No answer to ${name} within ${REQUEST_TIMEOUT_MS / 1000} s` } });
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (reply: Reply<unknown>) => void, timer });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
      else this.queue.push(message);
    });
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('open');
      for (const message of this.queue.splice(0)) socket.send(JSON.stringify(message));
    };
    socket.onmessage = (ev) => this.receive(String(ev.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // Requests in flight were lost with the socket: answer them rather than hang the UI.
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: { code: 'failed', message: 'Connection to Neurograph was lost' } });
        this.pending.delete(id);
      }
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private receive(text: string): void {
    let message: WireReply | WireEvent;
    try {
      message = JSON.parse(text) as WireReply | WireEvent;
    } catch {
      return;
    }
    if ('event' in message) {
      for (const listener of this.eventListeners) listener(message.event);
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(message.id);
    p.resolve(message.reply);
  }
}

/** Wraps the Electron preload bridge; its connection never drops. */
class BridgeApiClient implements ApiClient {
  readonly state: ConnectionState = 'open';
  constructor(private readonly bridge: NeurographApi) {}
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Reply<RequestOutput<K>>> {
    return this.bridge.request(name, input);
  }
  onEvent(listener: (event: ApiEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }
  onState(listener: (state: ConnectionState) => void): () => void {
    listener('open');
    return () => {};
  }
}

/** The api for this page: the preload bridge, or a WebSocket to this page's host with its token. */
export function createApi(): ApiClient {
  if (window.neurograph?.request) return new BridgeApiClient(window.neurograph);
  const token = new URL(window.location.href).searchParams.get('token') ?? '';
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WsApiClient(`${proto}//${window.location.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
}

/** Unwraps a reply: the data, or throws an ApiFailure carrying the service's error. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${message} (at ${path})` : message);
    this.name = 'ApiFailure';
  }
}

export async function call<K extends RequestName>(api: NeurographApi, name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
  const reply = await api.request(name, input);
  if (!reply.ok) throw new ApiFailure(reply.error.code, reply.error.message, reply.error.path);
  return reply.data;
}
