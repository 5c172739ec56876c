/** What every shell shares: worker threads from source or build, the renderer's CSP, the library's default path, atomic file writes. */
export { startWorker } from './tsWorker';
export { contentSecurityPolicy, PAGE_CSP } from './csp';
export { defaultLibraryPath } from './library';
export { writeFileAtomic, commitTemporaryFile, temporaryNameFor, isDiskFull, DiskFullError, FileWriteError } from './atomic';
