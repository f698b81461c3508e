/**
 * `forcebridge keys rotate`: a new master key, every stored secret and token re-encrypted under
 * it, old keys retired. With the key file, the file is updated. With FORCEBRIDGE_MASTER_KEY the
 * operator must set the new value, which is written only to a 0600 file given with `--out` —
 * never to the terminal, where scrollback and CI logs would keep it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { keyRingEnvValue, rotateKeys } from '../../connections/key-rotation.js';
import { saveKeyRing, type KeyRing } from '../../connections/vault.js';
import { invalidInput } from '../../errors.js';
import { fields, processIo, withHub, type CliIo } from '../io.js';

function writeEnvValue(path: string, ring: KeyRing): void {
  try {
    // wx: never overwrite a file (it might be an older key an operator still needs).
    writeFileSync(path, keyRingEnvValue(ring) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw invalidInput(
      'keys.out_unwritable',
      '--out',
      `cannot create ${path} (${(e as { code?: string }).code ?? 'error'})`,
      'give a path to a new file; nothing was changed',
    );
  }
}

export async function rotate(io: CliIo, o: { out?: string }): Promise<void> {
  await withHub(io, async (hub) => {
    const fromEnv = hub.vaultSource === 'env';
    if (fromEnv && !o.out) {
      throw invalidInput(
        'keys.out_required',
        '--out',
        'the master key comes from FORCEBRIDGE_MASTER_KEY, so the new value must be handed to you',
        'run `forcebridge keys rotate --out <file>`: the new FORCEBRIDGE_MASTER_KEY value is written to that file (mode 0600), never printed; nothing was changed',
      );
    }
    if (!fromEnv && o.out)
      throw invalidInput('keys.out_unused', '--out', '--out is only for keys from FORCEBRIDGE_MASTER_KEY; the key file is updated in place');
    const out = o.out ? resolve(o.out) : undefined;
    const r = await rotateKeys(hub.store, hub.vault, {
      saveRing: (ring, phase) => {
        if (!fromEnv) saveKeyRing(hub.keyFile, ring);
        else if (phase === 'added') writeEnvValue(out!, ring);
      },
    });
    const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
    io.out(`Rotated the master key: new key ${r.newKeyId}; re-encrypted ${total} value(s):\n`);
    io.out(fields(Object.entries(r.counts).map(([t, n]) => [t, n])));
    if (fromEnv) {
      io.out(
        [
          `The new FORCEBRIDGE_MASTER_KEY value is in ${out} (mode 0600); it lists the new key first and the old one(s) after it.`,
          'Set it for every forcebridge process (server, workers, CLI) and restart them, then delete the file.',
          'Until then, processes started with the old value cannot read the re-encrypted secrets.',
          '',
        ].join('\n'),
      );
    } else {
      io.out(`Key file ${hub.keyFile} updated; retired key(s): ${r.retiredKeyIds.join(', ') || '-'}. Restart other forcebridge processes.\n`);
    }
  });
}

export function keysCommand(io: CliIo = processIo()): Command {
  const cmd = new Command('keys').description('Master key of the token vault');
  cmd
    .command('rotate')
    .description('Add a new master key, re-encrypt every stored secret and token, retire the old key')
    .option('--out <file>', 'with FORCEBRIDGE_MASTER_KEY: new file (mode 0600) to receive the new key value')
    .action((o: { out?: string }) => rotate(io, o));
  return cmd;
}
