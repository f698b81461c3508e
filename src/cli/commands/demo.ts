/**
 * `forcebridge demo`: the main job on the embedded default. For now it starts the emulator with
 * demo data and prints how to reach it (sync, agent tools and the API join as they land).
 */
import { Command } from 'commander';
import { startEmulator } from '../../emulator/server.js';
import { bannerText, closeOnSignal, emulatorConfigFrom, parseCount, parsePort } from './emulator.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Start a local Salesforce org with demo data and show how to use it')
    .option('-p, --port <port>', 'login host port (sandbox = port+1, My Domain = port+2)', parsePort, 6543)
    .option('--records <n>', 'number of generated demo records', parseCount)
    .option('--exit', 'print the summary and exit instead of serving (for scripts)')
    .action(async (o: { port: number; records?: number; exit?: boolean }) => {
      const config = emulatorConfigFrom({ port: o.port, host: '127.0.0.1', ...(o.records !== undefined ? { records: o.records } : {}) });
      const em = await startEmulator({ port: o.port, config, control: true });
      const counts = ['Account', 'Contact', 'Opportunity', 'Case', 'EmailMessage', 'Task', 'Event', 'User']
        .filter((n) => em.org.schema.get(n))
        .map((n) => `${n}: ${[...em.org.data.table(n).live()].length}`)
        .join(', ');
      const admin = em.banner.users[0]!;
      const token = `${em.banner.loginUrl}/services/oauth2/token`;
      process.stdout.write(
        [
          bannerText(em.banner),
          '',
          `Demo data: ${counts}`,
          '',
          'Try it (username-password flow, then a SOQL query):',
          `  curl -s ${token} -d grant_type=password \\`,
          `    --data-urlencode client_id='${em.banner.clientId}' --data-urlencode client_secret='${em.banner.clientSecret}' \\`,
          `    --data-urlencode username='${admin.username}' --data-urlencode password='${admin.password}${admin.securityToken}'`,
          `  curl -s '${em.banner.instanceUrl}/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+5' -H 'Authorization: Bearer <access_token>'`,
          '',
        ].join('\n') + '\n',
      );
      if (o.exit) {
        await em.close();
        return;
      }
      closeOnSignal(em);
      process.stdout.write('Serving until Ctrl+C.\n');
    });
}
