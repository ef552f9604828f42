/** `rnnlab lab`: serve the lab (web/) on localhost; static files only, no backend. */
import { Command } from 'commander';
import { num } from '../parse';
import { out } from '../common';
import { labFolder, serveLab } from '../lab-server';

export function labCommand(): Command {
  return new Command('lab')
    .description('serve the lab in the browser on localhost (train, watch the dynamics, lesion, share a run)')
    .option('--port <n>', 'port (0: any free one)', num('--port', { integer: true, min: 0, max: 65535 }), 5178)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--dir <folder>', "the lab's build folder (default: the one built with this rnnlab)")
    .action(async (o: { port: number; host: string; dir?: string }) => {
      const root = labFolder(o.dir);
      const { url } = await serveLab(root, o.host, o.port);
      out(`rnnlab lab: ${url} (static files from ${root}; Ctrl-C stops)`);
    });
}
