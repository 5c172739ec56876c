/** The Electron flavour of ForkTrainer: utilityProcess.fork (Node's lives in services/TrainingHostFork.ts). */
import { utilityProcess } from 'electron';
import type { ForkTrainer, TrainerChild } from '../services';

export const electronForkTrainer: ForkTrainer = (entry, execArgv): TrainerChild => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Neurograph trainer', stdio: 'inherit', execArgv });
  // A fatal V8 error in the trainer: the 'exit' that follows reports it.
  child.on('error', () => {});
  return {
    get pid() {
      return child.pid;
    },
    send: (job) => child.postMessage(job),
    onMessage: (listener) => child.on('message', listener),
    // utilityProcess reports only a code; a crash or kill shows up as a non-zero one.
    onExit: (listener) => child.once('exit', (code) => listener(code, null)),
    kill: () => {
      child.kill();
    },
  };
};
