/** The web host: the built renderer and the api over a loopback WebSocket behind a launch token. */
export { startWebHost, LOOPBACK, type WebHost, type WebHostOptions } from './server';
export { newToken, tokenMatches, pagePolicy } from './security';
export { resolveInside } from './static';
