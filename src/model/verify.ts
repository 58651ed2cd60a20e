// Integrity of an artifact's files against its manifest: every listed file present, with the listed byte size
// and sha256. Web Crypto only, so it runs in Workers and in Node 20 alike.
import type { Manifest } from '../artifact.js';

export class ArtifactError extends Error {}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // The cast only narrows the buffer type: Web Crypto takes views of ordinary (non-shared) ArrayBuffers.
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws ArtifactError naming the first file that is missing or whose size or sha256 differs from the manifest. */
export async function verifyFiles(manifest: Manifest, files: Record<string, Uint8Array>): Promise<void> {
  for (const [path, want] of Object.entries(manifest.files)) {
    const bytes = files[path];
    if (!bytes) throw new ArtifactError(`${manifest.direction}@${manifest.version}: file "${path}" is missing`);
    if (bytes.byteLength !== want.bytes) {
      throw new ArtifactError(`${manifest.direction}@${manifest.version}: "${path}" has ${bytes.byteLength} bytes, manifest says ${want.bytes}`);
    }
    const sha = await sha256Hex(bytes);
    if (sha !== want.sha256) {
      throw new ArtifactError(`${manifest.direction}@${manifest.version}: "${path}" has sha256 ${sha}, manifest says ${want.sha256}`);
    }
  }
}
