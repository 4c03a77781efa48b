/*
 * IDE latency: the TypeScript language service (the same API tsserver uses) over a project, completions
 * requested at given sites of one edited file. The file is edited (a comment appended, its version
 * bumped) before every request, as when typing, so every request sees a new program and a fresh checker.
 * Usage: node completions.js '<json settings>'
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

interface Site {
  name: string;
  /** The completion position is right after the first occurrence of this text. */
  after: string;
  /** Names the completion list must contain. */
  expect: string[];
  triggerCharacter?: "." | undefined;
}

interface Settings {
  projectDir: string;
  /** The edited file (not in tsconfig's include; added as a root). */
  file: string;
  sites: Site[];
  requests: number;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings;
const projectDir = settings.projectDir;
const editedPath = join(projectDir, settings.file);
const baseText = readFileSync(editedPath, "utf8");

const configPath = join(projectDir, "tsconfig.json");
const config = ts.readConfigFile(configPath, ts.sys.readFile);
if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectDir, undefined, configPath);
const rootFiles = [...parsed.fileNames, editedPath];

// What VS Code asks for (a subset that matters for member and object-literal completions).
const preferences: ts.UserPreferences = {
  includeCompletionsWithInsertText: true,
  includeCompletionsWithSnippetText: true,
  includeAutomaticOptionalChainCompletions: true,
  includeCompletionsWithObjectLiteralMethodSnippets: true,
  useLabelDetailsInCompletionEntries: true,
  allowIncompleteCompletions: true,
};

let editedText = baseText;
let editedVersion = 0;
const snapshots = new Map<string, ts.IScriptSnapshot | undefined>();
const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => rootFiles,
  getScriptVersion: (fileName) => (fileName === editedPath ? String(editedVersion) : "0"),
  getScriptSnapshot: (fileName) => {
    if (fileName === editedPath) return ts.ScriptSnapshot.fromString(editedText);
    if (!snapshots.has(fileName)) {
      const text = ts.sys.readFile(fileName);
      snapshots.set(fileName, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
    }
    return snapshots.get(fileName);
  },
  getCurrentDirectory: () => projectDir,
  getCompilationSettings: () => parsed.options,
  getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
  realpath: ts.sys.realpath!,
  useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
};

const positions = settings.sites.map((site) => {
  const index = baseText.indexOf(site.after);
  if (index < 0) throw new Error(`site "${site.name}": "${site.after}" not found in ${settings.file}`);
  return index + site.after.length;
});

const request = (index: number) => {
  const site = settings.sites[index]!;
  const t0 = performance.now();
  const info = service.getCompletionsAtPosition(editedPath, positions[index]!, {
    ...preferences,
    ...(site.triggerCharacter !== undefined ? { triggerCharacter: site.triggerCharacter, triggerKind: 2 } : {}),
  });
  const ms = performance.now() - t0;
  // Non-identifier keys are listed quoted (`"Account Name"`).
  const unquote = (name: string) => (/^["'].*["']$/.test(name) ? name.slice(1, -1) : name);
  return { ms, names: new Set((info?.entries ?? []).map((entry) => unquote(entry.name))) };
};

const t0 = performance.now();
const service = ts.createLanguageService(host, ts.createDocumentRegistry());
const first = request(0);
const openMs = performance.now() - t0;
const semantic = service
  .getSemanticDiagnostics(editedPath)
  .map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));

const samples: number[][] = settings.sites.map(() => []);
const entries: number[] = settings.sites.map(() => 0);
const missing: string[][] = settings.sites.map(() => []);
for (let i = 0; i < settings.requests; i++) {
  for (let s = 0; s < settings.sites.length; s++) {
    // The edit: a comment appended after every site, so the positions stay valid.
    editedText = `${baseText}\n// edit ${i}.${s}\n`;
    editedVersion++;
    const { ms, names } = request(s);
    samples[s]!.push(ms);
    entries[s] = names.size;
    missing[s] = settings.sites[s]!.expect.filter((name) => !names.has(name));
  }
}

process.stdout.write(
  `${JSON.stringify({
    openMs,
    firstEntries: first.names.size,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
    rootFiles: rootFiles.length,
    diagnostics: semantic.slice(0, 5),
    sites: settings.sites.map((site, s) => ({
      name: site.name,
      samples: samples[s],
      entries: entries[s],
      missing: missing[s],
    })),
  })}\n`,
);
