// Starts `argmap lsp` for Argdown files; everything else happens in the server.
import { workspace, ExtensionContext, window } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const settings = workspace.getConfiguration("argmap");
  const [command, ...args] = settings.get<string[]>("command", ["argmap", "lsp"]);
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "argdown" },
      { scheme: "untitled", language: "argdown" },
    ],
    initializationOptions: {
      semantics: settings.get("semantics"),
      evidence: settings.get("evidence"),
      debounceMs: settings.get("debounceMs"),
      samples: settings.get("samples"),
    },
  };
  client = new LanguageClient("argmap", "argmap", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    window.showErrorMessage(
      `argmap: could not start \`${command} ${args.join(" ")}\` (${error}). ` +
        "Install argmap with its lsp extra (pip install 'argmap[lsp]') or set argmap.command."
    );
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
