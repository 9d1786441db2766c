// DNS wire constants (RFC 1035, 6891, 7871) used by the codec and the answer path.

export const QTYPE_A = 1;
export const QTYPE_NS = 2;
export const QTYPE_SOA = 6;
export const QTYPE_AAAA = 28;
export const QTYPE_OPT = 41;
export const QTYPE_IXFR = 251;
export const QTYPE_AXFR = 252;
export const QTYPE_ANY = 255;

export const QCLASS_IN = 1;
export const QCLASS_ANY = 255;

export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;
export const RCODE_NOTIMP = 4;
export const RCODE_REFUSED = 5;
/** Extended RCODE 16 (upper 8 bits 1 in the OPT TTL, lower 4 bits 0 in the header). */
export const RCODE_BADVERS = 16;

export const FLAG_QR = 0x8000;
export const FLAG_AA = 0x0400;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_CD = 0x0010;

export const EDNS_OPTION_ECS = 8;
/** The UDP payload size we advertise and the most we send by UDP (DNS flag day 2020). */
export const EDNS_UDP_SIZE = 1232;
/** Without EDNS a UDP response may not exceed this (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;

/** Names used in metrics and logs, by RCODE. */
export const RCODE_NAMES: readonly string[] = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
  'RCODE11',
  'RCODE12',
  'RCODE13',
  'RCODE14',
  'RCODE15',
  'BADVERS',
];
