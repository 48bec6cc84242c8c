import type { KeyAlgorithm } from '../config/types';

/** tls_private_key arguments for a key algorithm choice. */
export function privateKeyArgs(algorithm: KeyAlgorithm): { algorithm: string; rsaBits?: number; ecdsaCurve?: string } {
  switch (algorithm) {
    case 'RSA-2048':
      return { algorithm: 'RSA', rsaBits: 2048 };
    case 'RSA-3072':
      return { algorithm: 'RSA', rsaBits: 3072 };
    case 'RSA-4096':
      return { algorithm: 'RSA', rsaBits: 4096 };
    case 'ECDSA-P256':
      return { algorithm: 'ECDSA', ecdsaCurve: 'P256' };
    case 'ECDSA-P384':
      return { algorithm: 'ECDSA', ecdsaCurve: 'P384' };
  }
}
