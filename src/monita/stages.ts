import type { ServiceLine } from '../domain/service-lines.js';
import type { MonitaStatus } from './feed.js';

/**
 * How a mock fault ticket moves: the stage texts a MONITA operator would see for each service
 * line, and the (mock-)time each stage happens. Everything is drawn from a seeded PRNG so the
 * same seed and creation order give the same story.
 */

/** 32-bit string hash (FNV-1a), to turn seeds and ids into PRNG seeds. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for a mock, and identical on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const between = (r: Rand, lo: number, hi: number) => Math.round(lo + r() * (hi - lo));

const TECHNICIANS = ['Agus', 'Dedi', 'Rina', 'Yusuf', 'Hendra', 'Wahyu', 'Sari', 'Bayu', 'Fitri', 'Joko'];
const STO = ['STO Gambir', 'STO Kebayoran', 'STO Bandung Centrum', 'STO Tandes', 'STO Johar', 'STO Denpasar'];

interface LineTexts {
  assigned: (r: Rand) => [stage: string, note: string];
  onTheWay: (r: Rand) => [string, string];
  onSite: (r: Rand) => [string, string];
  repairs: readonly (readonly [string, string])[];
  resolved: (r: Rand) => [string, string];
}

const fieldAssigned = (r: Rand): [string, string] => [
  'Tiket diteruskan ke teknisi lapangan',
  `Ditangani ${pick(r, STO)}, teknisi ${pick(r, TECHNICIANS)}`,
];
const fieldOnTheWay = (r: Rand): [string, string] => [
  'Teknisi menuju lokasi pelanggan',
  `Perkiraan tiba ${between(r, 15, 45)} menit`,
];

const TEXTS: Record<ServiceLine, LineTexts> = {
  indihome: {
    assigned: fieldAssigned,
    onTheWay: fieldOnTheWay,
    onSite: (r) => [
      'Teknisi tiba di lokasi pelanggan',
      `Pengukuran redaman di ONT: -${between(r, 28, 34)} dBm (di luar standar)`,
    ],
    repairs: [
      ['Perbaikan kabel drop core di ODP', 'Kabel drop core putus di dekat tiang, disambung ulang'],
      ['Penyambungan ulang fiber (splicing) di ODP', 'Konektor di port ODP kotor, dibersihkan dan disambung ulang'],
      ['Penggantian ONT pelanggan', 'ONT lama mati total, diganti unit baru'],
      ['Konfigurasi ulang ONT dan layanan internet', 'Profil layanan di ONT disesuaikan dengan paket pelanggan'],
    ],
    resolved: (r) => [
      'Gangguan selesai diperbaiki, layanan normal kembali',
      `Redaman setelah perbaikan -${between(r, 18, 23)} dBm; mohon konfirmasi ke pelanggan`,
    ],
  },
  internet: {
    assigned: (r) => ['Tiket diteruskan ke NOC data', `Analisa link oleh NOC regional ${between(r, 1, 7)}`],
    onTheWay: fieldOnTheWay,
    onSite: (r) => [
      'Teknisi tiba di lokasi pelanggan',
      `Link down terpantau di port akses; traffic MRTG 0 bps sejak ${between(r, 1, 5)} jam lalu`,
    ],
    repairs: [
      ['Penggantian SFP di perangkat akses', 'SFP rusak di sisi Metro-E, diganti unit cadangan'],
      ['Reset port di switch Metro-E', 'Port akses di-reset, negosiasi link ulang'],
      ['Perbaikan konfigurasi routing', 'Sesi BGP ke CPE pelanggan dibangun ulang'],
      ['Penyambungan ulang kabel fiber backhaul', 'Kabel fiber terkena galian, disambung ulang'],
    ],
    resolved: () => ['Link normal kembali', 'Ping dan traffic MRTG normal; mohon konfirmasi ke pelanggan'],
  },
  telepon: {
    assigned: fieldAssigned,
    onTheWay: fieldOnTheWay,
    onSite: () => ['Teknisi tiba di lokasi pelanggan', 'Tidak ada nada pilih di pesawat pelanggan'],
    repairs: [
      ['Perbaikan jumper di rumah kabel (RK)', 'Jumper di RK longgar, dipasang ulang'],
      ['Pengecekan dan perbaikan jalur di MDF', 'Jalur di MDF terbalik, diperbaiki'],
      ['Perbaikan kabel sekunder', 'Kabel sekunder basah, dikeringkan dan diisolasi ulang'],
      ['Penggantian pesawat telepon', 'Pesawat pelanggan rusak, diganti unit pinjaman'],
    ],
    resolved: () => ['Gangguan selesai diperbaiki, nada pilih normal', 'Tes panggil masuk/keluar berhasil'],
  },
  global: {
    assigned: () => ['Tiket diteruskan ke NOC global', 'Koordinasi dengan mitra operator internasional'],
    onTheWay: () => ['Tim lapangan menuju POP pelanggan', 'Pengecekan perangkat di POP'],
    onSite: (r) => ['Tim tiba di POP', `Loss pada link upstream terpantau ${between(r, 2, 30)}%`],
    repairs: [
      ['Perbaikan di sisi upstream provider', 'Mitra upstream melakukan perbaikan di jaringannya'],
      ['Pengalihan trafik ke jalur cadangan', 'Trafik IPLC dialihkan ke jalur cadangan sementara'],
      ['Penggantian modul optik di POP', 'Modul optik degradasi, diganti'],
    ],
    resolved: () => ['Layanan normal kembali', 'Latensi dan loss kembali normal; mohon konfirmasi ke pelanggan'],
  },
  imes: {
    assigned: () => ['Tiket diteruskan ke tim managed service', 'Analisa perangkat kelolaan di sisi pelanggan'],
    onTheWay: fieldOnTheWay,
    onSite: () => ['Teknisi tiba di lokasi pelanggan', 'Perangkat CPE kelolaan tidak merespons'],
    repairs: [
      ['Restart layanan SIP trunk', 'Registrasi SIP trunk ke softswitch dipulihkan'],
      ['Penggantian perangkat CPE', 'CPE rusak, diganti dan konfigurasi dipulihkan'],
      ['Pemulihan VM di Cloud X', 'VM pelanggan dipulihkan dari snapshot terakhir'],
    ],
    resolved: () => ['Layanan normal kembali', 'Layanan kelolaan berjalan normal; mohon konfirmasi ke pelanggan'],
  },
};

export interface PlannedStage {
  status: MonitaStatus;
  stage: string;
  note: string;
  /** Mock-time offset from the ticket's creation (scaled by the mock's speed). */
  offsetMs: number;
}

const S = 1000;

/**
 * The stages one ticket will go through. At speed 1 the first stages come within a minute or
 * two (so a console demo shows progress quickly) and RESOLVED within about five to ten minutes.
 */
export function planStages(service: ServiceLine, symptom: string, r: Rand): PlannedStage[] {
  const texts = TEXTS[service];
  const out: PlannedStage[] = [];
  let at = 0;
  const add = (status: MonitaStatus, [stage, note]: readonly [string, string], gapLo: number, gapHi: number) => {
    at += between(r, gapLo, gapHi) * S;
    out.push({ status, stage, note, offsetMs: at });
  };
  add('OPEN', ['Tiket gangguan diterima di MONITA', `Keluhan: ${symptom}`.slice(0, 500)], 0, 0);
  add('ASSIGNED', texts.assigned(r), 15, 45);
  add('ON_THE_WAY', texts.onTheWay(r), 20, 60);
  add('ON_SITE', texts.onSite(r), 40, 100);
  // One or two repair steps: real repairs often report progress more than once.
  const first = Math.floor(r() * texts.repairs.length);
  add('REPAIRING', texts.repairs[first]!, 20, 60);
  if (r() < 0.5) add('REPAIRING', texts.repairs[(first + 1) % texts.repairs.length]!, 40, 100);
  add('RESOLVED', texts.resolved(r), 40, 120);
  add('CLOSED', ['Tiket ditutup di MONITA', 'Penanganan teknis selesai'], 300, 600);
  return out;
}
