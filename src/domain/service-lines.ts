/**
 * Service lines (SOP §11) and queues (SOP §3), with the applications each line uses (S11.x),
 * the related products an agent mentions (P5.5) and how its customer IDs look (P5.2).
 */
export const SERVICE_LINES = ['indihome', 'internet', 'telepon', 'global', 'imes'] as const;
export type ServiceLine = (typeof SERVICE_LINES)[number];

export const QUEUES = ['reguler', 'violet', 'global', 'imes'] as const;
export type Queue = (typeof QUEUES)[number];

interface ServiceLineInfo {
  clause: string;
  applications: string[];
  relatedProducts: string[];
  /** What a customer ID of this line looks like, and an example for the error message. */
  customerId: RegExp;
  customerIdExample: string;
}

export const SERVICE_LINE_INFO: Record<ServiceLine, ServiceLineInfo> = {
  internet: {
    clause: 'S11.1',
    applications: ['SecureCRT', 'TENOSS', 'MyCX', 'NOSSA', 'MRTG', 'MONITA', 'TELKOM.CENTER'],
    relatedProducts: ['Astinet', 'VPN IP', 'Metro Ethernet'],
    // Service ID (SID) of a data/internet circuit.
    customerId: /^[0-9A-Z]{6,20}$/,
    customerIdExample: '4700123456',
  },
  indihome: {
    clause: 'S11.2',
    applications: ['MyCX', 'NOSSA', 'MONITA', 'I-SISKA', 'EMBASSY', 'E-Payment', 'Dashboard Wifi ID'],
    relatedProducts: ['IndiHome TV', 'Add-on speed', 'Wifi Extender', 'Indibox'],
    // IndiHome service number: 12 digits.
    customerId: /^\d{12}$/,
    customerIdExample: '122123456789',
  },
  telepon: {
    clause: 'S11.3',
    applications: ['MyCX', 'NOSSA', 'MONITA', 'I-SISKA', 'EMBASSY', 'TENOSS', 'E-Payment'],
    relatedProducts: ['Paket nelpon hemat', 'IndiHome 3P'],
    // Fixed-line number with its area code.
    customerId: /^0\d{8,11}$/,
    customerIdExample: '0215551234',
  },
  global: {
    clause: 'S11.4',
    applications: ['SecureCRT', 'TENOSS', 'MyCX', 'NOSSA', 'MRTG', 'TELKOM.CENTER'],
    relatedProducts: ['IP Transit', 'IPLC', 'Global SD-WAN'],
    customerId: /^[0-9A-Z][0-9A-Z-]{5,19}$/,
    customerIdExample: 'GLB-20331',
  },
  imes: {
    clause: 'S11.5',
    applications: ['SecureCRT', 'TENOSS', 'MyCX', 'NOSSA', 'MRTG', 'TELKOM.CENTER'],
    relatedProducts: ['Managed Service', 'Cloud X', 'SIP Trunk'],
    customerId: /^[0-9A-Z][0-9A-Z-]{5,19}$/,
    customerIdExample: 'IMES-88120',
  },
};

export const isServiceLine = (v: string): v is ServiceLine => (SERVICE_LINES as readonly string[]).includes(v);
export const isQueue = (v: string): v is Queue => (QUEUES as readonly string[]).includes(v);

/** Normalises a customer ID (trim, upper case, no inner spaces) or returns null when it cannot be one. */
export function normaliseCustomerId(service: ServiceLine, raw: string): string | null {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  return SERVICE_LINE_INFO[service].customerId.test(value) ? value : null;
}
