/** Saves bytes or text as a download (the browser's, or Electron's save flow), from an object URL released after. */
export function download(fileName: string, body: string | Uint8Array, type: string): number {
  const blob = new Blob([body as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The download has started from the object URL; release it a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return blob.size;
}

/** base64 → bytes (ONNX files travel as base64 text over the api). */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** bytes → base64, in chunks (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
