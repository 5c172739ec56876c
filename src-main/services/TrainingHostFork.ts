/** The Node flavour of ForkTrainer: child_process.fork with an IPC channel (Electron's lives in src-main/electron). */
import { fork } from 'node:child_process';
import type { ForkTrainer, TrainerChild } from './TrainingHostTypes';

export const nodeForkTrainer: ForkTrainer = (entry, execArgv): TrainerChild => {
  const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  // Sending on a channel that just closed emits 'error'; the 'exit' event reports the real cause.
  child.on('error', () => {});
  return {
    get pid() {
      return child.pid;
    },
    send: (job) => {
      if (child.connected) child.send(job);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
};
