/**
 * The trained model out as a file, and a model file in: what the model panel, the File menu and a
 * file dropped on the window share.
 */
import { download, fromBase64, toBase64 } from '../../lib/download';
import type { Workspace } from '../../state/workspace.svelte';

export type ModelFormat = 'json' | 'pytorch' | 'onnx';
const TYPES: Record<ModelFormat, string> = { json: 'application/json', pytorch: 'text/x-python', onnx: 'application/octet-stream' };

/** Downloads the shown run's model; returns the file's name and size, or null (the workspace says why). */
export async function downloadModel(ws: Workspace, format: ModelFormat): Promise<{ fileName: string; bytes: number } | null> {
  const file = await ws.exportModel(format);
  if (!file) return null;
  const bytes = download(file.fileName, file.encoding === 'base64' ? fromBase64(file.text) : file.text, TYPES[format]);
  return { fileName: file.fileName, bytes };
}

/** A model file (JSON, or ONNX by its extension) into the project. */
export async function importModelFile(ws: Workspace, file: File): Promise<void> {
  if (file.name.toLowerCase().endsWith('.onnx')) await ws.importModel(toBase64(new Uint8Array(await file.arrayBuffer())), file.name, 'onnx');
  else await ws.importModel(await file.text(), file.name, 'json');
}
