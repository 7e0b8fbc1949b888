import { ErrorCode, SUPPORTED_VERSIONS } from './protocol';
import type { Writer } from '../codec';
import type { ApiHandler } from './context';

/** ApiVersions (18): the supported versions of every API. */
export const apiVersions: ApiHandler = (_broker, req, r, w) => {
  if (req.apiVersion >= 3) {
    // v3 is the one flexible encoding served: compact arrays and tagged fields, but a v0 response header.
    r.compactNullableString();
    r.compactNullableString();
    r.skipTaggedFields();
    w.int16(0).compactArrayLength(SUPPORTED_VERSIONS.length);
    for (const v of SUPPORTED_VERSIONS) w.int16(v.apiKey).int16(v.min).int16(v.max).emptyTaggedFields();
    w.int32(0).emptyTaggedFields();
    return;
  }
  w.int16(0).array(SUPPORTED_VERSIONS, (w, v) => w.int16(v.apiKey).int16(v.min).int16(v.max));
  if (req.apiVersion >= 1) w.int32(0);
};

/** The answer to an unknown API or version: UNSUPPORTED_VERSION in the ApiVersions v0 layout, so clients can fall back. */
export function writeUnsupportedVersion(w: Writer): void {
  w.int16(ErrorCode.UNSUPPORTED_VERSION).array(SUPPORTED_VERSIONS, (w, v) => w.int16(v.apiKey).int16(v.min).int16(v.max));
}
