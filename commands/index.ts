import type { CommandSpec } from '../src/command/spec.js';
import { commandName } from './aliases.js';
import ambil from './ambil.js';
import bantuan from './bantuan.js';
import buka from './buka.js';
import bukaData from './buka-data.js';
import bukaLagi from './buka-lagi.js';
import cari from './cari.js';
import catat from './catat.js';
import daftar from './daftar.js';
import ekspor from './ekspor.js';
import eskalasi from './eskalasi.js';
import hubungi from './hubungi.js';
import kabari from './kabari.js';
import konfirmasi from './konfirmasi.js';
import lihat from './lihat.js';
import peran from './peran.js';
import ringkasan from './ringkasan.js';
import saya from './saya.js';
import setujui from './setujui.js';
import tolak from './tolak.js';
import tutup from './tutup.js';
import ubahKontak from './ubah-kontak.js';

/** The one registry every adapter uses: Slack, Discord and the console see the same surface. */
export const COMMANDS: readonly CommandSpec[] = [
  buka,
  lihat,
  daftar,
  saya,
  cari,
  catat,
  kabari,
  hubungi,
  eskalasi,
  setujui,
  tolak,
  ambil,
  konfirmasi,
  tutup,
  bukaLagi,
  ubahKontak,
  bukaData,
  peran,
  ringkasan,
  ekspor,
  bantuan,
];

/** A command by its name or an English alias (`close` → `tutup`), in every locale. */
export const findCommand = (name: string): CommandSpec | undefined => {
  const wanted = commandName(name.toLowerCase());
  return COMMANDS.find((c) => c.name === wanted);
};
