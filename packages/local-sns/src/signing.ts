import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A private key and the self-signed certificate for its public half, both PEM. */
export interface KeyAndCertificate {
  privateKeyPem: string;
  certificatePem: string;
}

/** Options for {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  commonName: string;
  /** DNS names or IP addresses for the subjectAltName extension (needed for TLS servers). */
  altNames?: string[];
  /** Validity in days from now (default 3650). */
  days?: number;
}

/**
 * Generates an RSA-2048 key and a self-signed X.509 v3 certificate signed with
 * SHA-256. The key is made by node:crypto (fast, native); node-forge only
 * assembles and signs the certificate.
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): KeyAndCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  // A positive serial: the high bit of the first byte must be clear in DER.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + (options.days ?? 3650) * 86_400_000);
  const subject = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
  ];
  if (options.altNames?.length) {
    extensions.push({
      name: 'subjectAltName',
      // Type 7 is iPAddress, type 2 dNSName (RFC 5280 GeneralName).
      altNames: options.altNames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

/** SNS message types that carry a signature. */
export const SnsMessageType = {
  Notification: 'Notification',
  SubscriptionConfirmation: 'SubscriptionConfirmation',
  UnsubscribeConfirmation: 'UnsubscribeConfirmation',
} as const;
/** One of {@link SnsMessageType}. */
export type SnsMessageType = (typeof SnsMessageType)[keyof typeof SnsMessageType];

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/**
 * Builds the SNS string to sign: the type's fixed keys in byte order, each as
 * `key\nvalue\n`. `Subject` appears in a Notification only when present.
 */
export function stringToSign(message: Record<string, unknown>): string {
  const keys = message.Type === SnsMessageType.Notification ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  let text = '';
  for (const key of keys) {
    const value = message[key];
    if (value === undefined || value === null) continue;
    text += `${key}\n${String(value)}\n`;
  }
  return text;
}

/** Signs with SHA256withRSA (SignatureVersion 2) and returns base64. */
export function signMessage(message: Record<string, unknown>, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(stringToSign(message), 'utf8').sign(privateKeyPem, 'base64');
}

/** A stable file name for the certificate, like SNS's `SimpleNotificationService-<hash>.pem`. */
export function certificateFileName(certificatePem: string): string {
  return `SimpleNotificationService-${createHash('sha256').update(certificatePem).digest('hex').slice(0, 32)}.pem`;
}
