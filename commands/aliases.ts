/**
 * English words for the ⚓ grammar (DESIGN §7): they work in every locale, typed or sent by a
 * button, and resolve to the Indonesian names before anything else looks at them. Names shown to
 * people (help, Discord) stay the Indonesian ones.
 */
export const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  open: 'buka',
  view: 'lihat',
  show: 'lihat',
  list: 'daftar',
  note: 'catat',
  inform: 'kabari',
  escalate: 'eskalasi',
  approve: 'setujui',
  reject: 'tolak',
  take: 'ambil',
  confirm: 'konfirmasi',
  close: 'tutup',
  call: 'hubungi',
  reopen: 'buka-lagi',
  search: 'cari',
  find: 'cari',
  export: 'ekspor',
  reveal: 'buka-data',
  help: 'bantuan',
  mine: 'saya',
  role: 'peran',
  digest: 'ringkasan',
  'update-contact': 'ubah-kontak',
};

/**
 * English keys; a key resolves only when the command has the Indonesian option it names, so
 * `code=` is `kode=` for `tutup` and stays unknown elsewhere.
 */
export const KEY_ALIASES: Readonly<Record<string, string>> = {
  service: 'layanan',
  name: 'nama',
  contact: 'kontak',
  complaint: 'keluhan',
  result: 'hasil',
  rating: 'puas',
  satisfaction: 'puas',
  to: 'ke',
  offer: 'tawaran',
  code: 'kode',
  page: 'hal',
  team: 'tim',
  queue: 'antrian',
  owner: 'milik',
  from: 'dari',
  new: 'baru',
  time: 'jam',
  zone: 'zona',
  language: 'bahasa',
  lang: 'bahasa',
  request: 'permintaan',
};

export const commandName = (word: string): string => COMMAND_ALIASES[word] ?? word;

/** The English words of one command, for `bantuan <perintah>`. */
export const aliasesOf = (name: string): string[] =>
  Object.entries(COMMAND_ALIASES)
    .filter(([, target]) => target === name)
    .map(([alias]) => alias);

export const keyAliasesOf = (name: string): string[] =>
  Object.entries(KEY_ALIASES)
    .filter(([, target]) => target === name)
    .map(([alias]) => alias);
